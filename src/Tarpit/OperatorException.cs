namespace Tarpit;

/// <summary>
/// An error the operator can fix (bad arguments, nft missing, not root): printed as one clear message with an exit
/// code and no stack trace. Everything else is a bug and is logged in full.
/// </summary>
internal sealed class OperatorException : Exception
{
    /// <summary>EX_USAGE-style exit code for bad command-line input.</summary>
    public const int UsageExitCode = 2;

    public OperatorException(string message, int exitCode = 1)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public OperatorException(string message, Exception innerException, int exitCode = 1)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    public OperatorException()
        : this("The operation failed.")
    {
    }

    public OperatorException(string message)
        : this(message, 1)
    {
    }

    public OperatorException(string message, Exception innerException)
        : this(message, innerException, 1)
    {
    }

    public int ExitCode { get; }
}
