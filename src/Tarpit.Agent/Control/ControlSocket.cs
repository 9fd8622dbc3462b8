namespace Tarpit.Agent.Control;

/// <summary>Where the control socket lives and the bounds of its protocol, shared by the daemon and the verbs.</summary>
internal static class ControlSocket
{
    public const string FileName = "control.sock";

    /// <summary>A request is one short JSON line (<c>{"verb":"sessions"}</c>); anything longer is not ours.</summary>
    public const int MaxRequestBytes = 4096;

    /// <summary>
    /// A reply holds at most every held connection: 3 × 8192 clients (the reference max_clients) of about 400 bytes
    /// each is ~10 MB; 64 MiB bounds what a verb reads from a socket it did not create.
    /// </summary>
    public const int MaxReplyBytes = 64 * 1024 * 1024;

    /// <summary>Requests answered at once; more wait for a slot (a verb is one request).</summary>
    public const int MaxConcurrentRequests = 4;

    /// <summary>How long either side waits for the other's line.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static string PathIn(string stateDir) => Path.Combine(stateDir, FileName);
}
