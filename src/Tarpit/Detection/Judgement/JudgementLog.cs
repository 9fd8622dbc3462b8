using System.Net;
using Serilog;
using Serilog.Events;
using Tarpit.Text;

namespace Tarpit.Detection.Judgement;

/// <summary>
/// The log lines of judgement (offences counted, bans decided), each template written once (Kestrel's
/// <c>SocketsLog</c>). <see cref="BanDecision"/> is also the decoy tarpits' line (<see cref="DetectionEventSink"/>).
/// </summary>
internal static class JudgementLog
{
    /// <summary>
    /// Debug: for every ban it stores, the ban service says "Banned …" with the same reason at Information; this line
    /// tells a decision apart from its outcome (a refresh, a refusal) when that is what one is looking for.
    /// </summary>
    public static void BanDecision(ILogger log, IPAddress remote, string watch, string reason) =>
        log.Debug("Ban decision for {RemoteIP} by {Watch}: {Reason}", remote, watch, reason);

    public static void BanAnswered(ILogger log, IPAddress remote, string outcome) =>
        log.Debug("Ban service answered for {RemoteIP}: {Outcome}", remote, outcome);

    public static void IgnoringOffence(ILogger log, IPAddress remote, string watch) =>
        log.Debug("Ignoring offence by allowlisted {RemoteIP} in {Watch}", remote, watch);

    /// <summary>
    /// On the log-line path: checked first, so a Debug-off agent pays no argument array and no escaping of the
    /// attacker's <paramref name="line"/> (escaped here, to <see cref="WatchJudge.MaxReasonLineLength"/>).
    /// </summary>
    public static void Offence(ILogger log, int count, int maxRetry, IPAddress remote, string watch, string line)
    {
        if (log.IsEnabled(LogEventLevel.Debug))
        {
            log.Debug("Offence {Count}/{MaxRetry} by {RemoteIP} in {Watch}: {Line}", count, maxRetry, remote, watch, AttackerText.Escape(line, WatchJudge.MaxReasonLineLength));
        }
    }

    public static void LineFailed(ILogger log, Exception ex, string watch, long failedLines, string line) =>
        log.Error(ex, "Judging a line in {Watch} failed; skipped it ({FailedLines} so far): {Line}", watch, failedLines, line);
}
