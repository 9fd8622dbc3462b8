using Serilog;
using Serilog.Events;

namespace Tarpit.Tarpits.Events;

/// <summary>
/// The log lines of connection events: the connection log (one Information line per finished connection,
/// Opened/Verified/Observed at Debug), the dispatcher and the queued sinks. Each template is written once (Kestrel's
/// <c>SocketsLog</c>); the connection lines share their <c>{RemoteIP}:{RemotePort}</c> and
/// <c>{Tarpit} ({Protocol}/{Mode})</c> parts as constants, joined at compile time. The connection lines run once per
/// connection: the Debug ones check the level first, so an agent at Information pays no argument array for them.
/// </summary>
internal static class EventsLog
{
    /// <summary>Shown for <see cref="ConnectionEvent.FirstBytes"/> when the client sent nothing.</summary>
    private const string Nothing = "(nothing)";

    private const string Client = "{RemoteIP}:{RemotePort}";
    private const string TarpitMode = "{Tarpit} ({Protocol}/{Mode})";

    public static void Holding(ILogger log, ConnectionEvent e)
    {
        if (log.IsEnabled(LogEventLevel.Debug))
        {
            log.Debug(
                "Holding " + Client + " in " + TarpitMode + " as connection {ConnectionId}, original port {OriginalPort}",
                e.Remote.Address,
                e.Remote.Port,
                e.Tarpit,
                e.Protocol,
                e.Mode,
                e.ConnectionId,
                e.OriginalPort);
        }
    }

    public static void Verified(ILogger log, ConnectionEvent e)
    {
        if (log.IsEnabled(LogEventLevel.Debug))
        {
            // What the session observed up to verifying rides on this line (and on Observed lines), not on Released.
            log.ForContext("Details", e.Details).Debug(
                "Verified " + Client + " in " + TarpitMode + " after {DurationMs} ms, first bytes {FirstBytes}",
                e.Remote.Address,
                e.Remote.Port,
                e.Tarpit,
                e.Protocol,
                e.Mode,
                (long)e.Duration.TotalMilliseconds,
                e.FirstBytes ?? Nothing);
        }
    }

    public static void Observed(ILogger log, ConnectionEvent e)
    {
        if (log.IsEnabled(LogEventLevel.Debug))
        {
            log.Debug(
                "Observed " + Client + " in " + TarpitMode + ": {Details}",
                e.Remote.Address,
                e.Remote.Port,
                e.Tarpit,
                e.Protocol,
                e.Mode,
                e.Details);
        }
    }

    /// <summary>
    /// The summary of a finished connection; <c>ConnectionId</c> and <c>Details</c> (what the session summarized for its
    /// close, a bomb's sizes; what it observed was on the Verified and Observed lines) ride along as properties.
    /// </summary>
    public static void Released(ILogger log, ConnectionEvent e)
    {
        if (!log.IsEnabled(LogEventLevel.Information))
        {
            return;
        }

        log.ForContext("ConnectionId", e.ConnectionId)
            .ForContext("Details", e.Details)
            .Information(
                "Released " + Client + " from " + TarpitMode + " after {DurationMs} ms, {BytesSent} bytes sent, original port {OriginalPort}, verified {Verified}, first bytes {FirstBytes}",
                e.Remote.Address,
                e.Remote.Port,
                e.Tarpit,
                e.Protocol,
                e.Mode,
                (long)e.Duration.TotalMilliseconds,
                e.BytesSent,
                e.OriginalPort,
                e.Verified,
                e.FirstBytes ?? Nothing);
    }

    /// <summary>The connection log's summary of an interval's unverified scanners (and of individual lines it held back).</summary>
    public static void ScannersHeld(ILogger log, long connections, string addresses, double intervalSeconds, string byProtocol, long individual, long suppressed) =>
        log.Information(
            "Held {Connections} connections from {Addresses} addresses in the last {IntervalSeconds} s ({ByProtocol}) from unverified scanners; {Individual} verified, banned or decoy connections logged one by one, {Suppressed} more not logged",
            connections,
            addresses,
            intervalSeconds,
            byProtocol,
            individual,
            suppressed);

    public static void SinkFailed(ILogger log, Exception ex, string sink, ConnectionEventKind kind, long connectionId) =>
        log.Error(ex, "Connection event sink {Sink} failed on {Kind} of connection {ConnectionId}", sink, kind, connectionId);

    public static void QueueAbandoned(ILogger log, string queue, int abandoned) =>
        log.Warning("The {Queue} stopped before its queue was empty: {Abandoned} items not consumed", queue, abandoned);

    public static void QueueDropped(ILogger log, string queue, long dropped, int capacity) =>
        log.Warning("The {Queue} dropped {Dropped} items in all (queue of {Capacity})", queue, dropped, capacity);

    public static void QueueBatchFailed(ILogger log, Exception ex, string queue, int count) =>
        log.Error(ex, "The {Queue} failed on a batch of {Count} items; going on", queue, count);

    public static void QueueBehind(ILogger log, string queue, int capacity, long dropped) =>
        log.Warning(
            "The {Queue} is behind: its queue of {Capacity} is full, {Dropped} items dropped so far (warned at most once a minute)",
            queue,
            capacity,
            dropped);
}
