using Serilog;

namespace Tarpit.Agent;

/// <summary>
/// The log lines of the CLI boundary when it reports into the daemon's log, each template written once (Kestrel's
/// <c>SocketsLog</c>). The sentence is already complete (an operator error or the bug sentence), so it is passed
/// through as one property, never used as a template.
/// </summary>
internal static class AgentLog
{
    public static void OperatorError(ILogger log, string sentence) =>
        log.Error("{Message}", sentence);

    public static void Bug(ILogger log, Exception bug, string sentence) =>
        log.Fatal(bug, "{Message}", sentence);
}
