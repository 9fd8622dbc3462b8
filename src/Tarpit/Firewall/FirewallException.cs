namespace Tarpit.Firewall;

/// <summary>
/// A firewall command failed (missing, not permitted, or rejected): the message names the command and quotes what
/// the tool said. The ban service keeps the ban and retries; CLI verbs print it.
/// </summary>
internal sealed class FirewallException : Exception
{
    public FirewallException()
        : this("The firewall command failed.")
    {
    }

    public FirewallException(string message)
        : base(message)
    {
    }

    public FirewallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>nft said "No such file or directory": the table (or a set in it) is gone, e.g. after <c>nft flush ruleset</c>.</summary>
    public bool TableMissing { get; init; }
}
