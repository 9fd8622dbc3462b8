using System.Net;
using Serilog;
using Serilog.Events;

namespace Tarpit.Detection;

/// <summary>
/// The log lines of detection (the watches and the tarpits' own events), each template written once (Kestrel's
/// <c>SocketsLog</c>). The ban decision itself is <see cref="Judgement.JudgementLog.BanDecision"/>, shared with the judges.
/// </summary>
internal static class DetectionLog
{
    public static void Watching(ILogger log, string source, string filter, int maxRetry, string findTime, string watch) =>
        log.Information("Watching {Source} with filter {Filter} ({MaxRetry} offences within {FindTime}) as {Watch}", source, filter, maxRetry, findTime, watch);

    public static void DetectionFailed(ILogger log, Exception ex, string source, double delaySeconds) =>
        log.Error(ex, "Detection for {Source} failed; restarting in {DelaySeconds}s", source, delaySeconds);

    public static void JudgingEventFailed(ILogger log, Exception ex, long connectionId, IPAddress remote) =>
        log.Error(ex, "Judging tarpit event {ConnectionId} from {RemoteIP} failed", connectionId, remote);

    /// <summary>Once per redirected connection: checked first, so a Debug-off agent pays no argument array.</summary>
    public static void CameBack(ILogger log, IPAddress remote, string tarpit, int? originalPort, bool refreshed)
    {
        if (log.IsEnabled(LogEventLevel.Debug))
        {
            log.Debug("{RemoteIP} came back through a redirect to {Tarpit} (port {OriginalPort}); ban refreshed: {Refreshed}", remote, tarpit, originalPort, refreshed);
        }
    }

    public static void IgnoringProxyItself(ILogger log, IPAddress proxy, string tarpit) =>
        log.Debug("Ignoring a connection of trusted proxy {ProxyIP} on {Tarpit}: it named no client, and a proxy is never banned for its clients", proxy, tarpit);

    public static void IgnoringDecoyHit(ILogger log, IPAddress remote, string tarpit) =>
        log.Debug("Ignoring decoy hit by allowlisted {RemoteIP} on {Tarpit}", remote, tarpit);

    public static void WatchSilent(ILogger log, string source, string watch, string problem) =>
        log.Warning("Watch {Watch} ({Source}) is {Problem}: check that the log still goes there (tarpit-agent status shows it too)", watch, source, problem);

    public static void WatchTalking(ILogger log, string source, string watch) =>
        log.Information("Watch {Watch} ({Source}) has lines again", watch, source);
}
