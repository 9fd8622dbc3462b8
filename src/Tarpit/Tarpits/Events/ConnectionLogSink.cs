using Serilog;
using Serilog.Events;
using Tarpit.Geo;

namespace Tarpit.Tarpits.Events;

/// <summary>
/// Logs one Information summary per finished connection, and Opened/Verified/Observed at Debug. Every string from the
/// client arrives escaped and truncated. With a <see cref="GeoLookup"/>, the Opened and Closed events carry
/// <c>CountryCode</c>, <c>Asn</c> and <c>AsnOrganization</c> (a cached lookup on the dispatcher thread, never on the
/// drip path).
/// </summary>
internal sealed class ConnectionLogSink(ILogger log, GeoLookup? geo = null) : IConnectionEventSink
{
    private const string Nothing = "(nothing)";

    public void Handle(ConnectionEvent connectionEvent)
    {
        ArgumentNullException.ThrowIfNull(connectionEvent);
        var e = connectionEvent;
        switch (e.Kind)
        {
            case ConnectionEventKind.Opened:
                // Look up only when the Debug line is written: most agents run at Information.
                (log.IsEnabled(LogEventLevel.Debug) ? Enriched(e) : log).Debug(
                    "Holding {RemoteIP}:{RemotePort} in {Tarpit} ({Protocol}/{Mode}) as connection {ConnectionId}, original port {OriginalPort}",
                    e.Remote.Address,
                    e.Remote.Port,
                    e.Tarpit,
                    e.Protocol,
                    e.Mode,
                    e.ConnectionId,
                    e.OriginalPort);
                break;
            case ConnectionEventKind.Verified:
                log.Debug(
                    "Verified {RemoteIP}:{RemotePort} in {Tarpit} ({Protocol}/{Mode}) after {DurationMs} ms, first bytes {FirstBytes}",
                    e.Remote.Address,
                    e.Remote.Port,
                    e.Tarpit,
                    e.Protocol,
                    e.Mode,
                    (long)e.Duration.TotalMilliseconds,
                    e.FirstBytes ?? Nothing);
                break;
            case ConnectionEventKind.Observed:
                log.Debug(
                    "Observed {RemoteIP}:{RemotePort} in {Tarpit} ({Protocol}/{Mode}): {Details}",
                    e.Remote.Address,
                    e.Remote.Port,
                    e.Tarpit,
                    e.Protocol,
                    e.Mode,
                    e.Details);
                break;
            case ConnectionEventKind.Closed:
                Enriched(e).ForContext("ConnectionId", e.ConnectionId)
                    .ForContext("Details", e.Details)
                    .Information(
                        "Released {RemoteIP}:{RemotePort} from {Tarpit} ({Protocol}/{Mode}) after {DurationMs} ms, {BytesSent} bytes sent, original port {OriginalPort}, verified {Verified}, first bytes {FirstBytes}",
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
                break;
        }
    }

    private ILogger Enriched(ConnectionEvent e) => geo is null ? log : geo.Enrich(log, e.Remote.Address);
}
