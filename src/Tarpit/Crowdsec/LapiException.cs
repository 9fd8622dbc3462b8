namespace Tarpit.Crowdsec;

/// <summary>The LAPI could not be reached, refused the request or answered something unreadable; the message is one sentence without secrets.</summary>
internal sealed class LapiException : Exception
{
    public LapiException()
    {
    }

    public LapiException(string message)
        : base(message)
    {
    }

    public LapiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
