using Serilog;

namespace Tarpit.Agent.Control;

/// <summary>The log lines of the control socket, each template written once (Kestrel's <c>SocketsLog</c>).</summary>
internal static class ControlLog
{
    public static void Serving(ILogger log, string path) =>
        log.Debug("Control socket {Path} serves status and sessions (mode 0600)", path);

    public static void StaleReplaced(ILogger log, string path) =>
        log.Information("Replaced the stale control socket {Path} a previous run left behind", path);

    public static void AnotherAgent(ILogger log, string path) =>
        log.Error("Another tarpit-agent answers on {Path}: two daemons share this state dir; this one serves no status (stop the other one)", path);

    public static void CannotServe(ILogger log, string path, string message) =>
        log.Error("Cannot serve the control socket {Path}: {Message}; status and sessions will say the agent is not running", path, message);

    public static void RequestFailed(ILogger log, Exception ex, string verb) =>
        log.Error(ex, "Control request {Verb} failed", verb);

    public static void BadRequest(ILogger log, string reason) =>
        log.Debug("Control request refused: {Reason}", reason);
}
