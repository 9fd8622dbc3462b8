using Serilog;

namespace Tarpit.Detection.Sources;

/// <summary>The log lines of the log sources (file tail, journald), each template written once (Kestrel's <c>SocketsLog</c>).</summary>
internal static class SourcesLog
{
    public static void Following(ILogger log, string path, long position) =>
        log.Debug("Following {Path} from byte {Position}", path, position);

    public static void Truncated(ILogger log, string path) =>
        log.Information("{Path} was truncated; reading it again from the start", path);

    public static void Rotated(ILogger log, string path) =>
        log.Information("{Path} was rotated; following the new file", path);

    public static void InotifyLostEvents(ILogger log, Exception ex, string path) =>
        log.Debug(ex, "inotify lost events for {Path}; the poll covers them", path);

    public static void NoInotify(ILogger log, Exception ex, string path, double pollSeconds) =>
        log.Debug(ex, "No inotify watch for {Path}; polling every {PollSeconds}s", path, pollSeconds);

    public static void JournalctlExited(ILogger log, string unit, int exitCode, double backoffSeconds) =>
        log.Warning("journalctl for {Unit} exited with code {ExitCode}; restarting in {BackoffSeconds}s", unit, exitCode, backoffSeconds);

    public static void JournalctlNotRun(ILogger log, Exception ex, string journalctl, string unit, double backoffSeconds) =>
        log.Error(ex, "Could not run {Journalctl} for {Unit}; retrying in {BackoffSeconds}s", journalctl, unit, backoffSeconds);

    public static void LinesCut(ILogger log, long cutLines, int maxLineBytes, string source, long cutLinesTotal, string sample) =>
        log.Warning(
            "{CutLines} lines longer than {MaxLineBytes} bytes in {Source} were cut and not judged ({CutLinesTotal} in all); the latest began: {Line}",
            cutLines, maxLineBytes, source, cutLinesTotal, sample);

    /// <summary>Once when a watch's source breaks (missing, unreadable, journalctl failing), not once per poll.</summary>
    public static void WatchProblem(ILogger log, string source, string problem) =>
        log.Warning("Watch source {Source}: {Problem}; nothing is judged from it until that is fixed (tarpit-agent status shows it too)", source, problem);

    public static void WatchRecovered(ILogger log, string source, string problem) =>
        log.Information("Watch source {Source} works again (was: {Problem})", source, problem);
}
