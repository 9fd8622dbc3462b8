using Serilog;
using Serilog.Events;
using Tarpit.Geo;

namespace Tarpit.Tarpits.Events;

/// <summary>
/// Logs one Information summary per finished connection, and Opened/Verified/Observed at Debug (the lines are
/// <see cref="EventsLog"/>'s). Every string from the client arrives escaped and truncated. With a
/// <see cref="GeoLookup"/>, the Opened and Closed events carry <c>CountryCode</c>, <c>Asn</c> and
/// <c>AsnOrganization</c> (a cached lookup on the dispatcher thread, never on the drip path).
/// </summary>
internal sealed class ConnectionLogSink(ILogger log, GeoLookup? geo = null) : IConnectionEventSink
{
    public void Handle(ConnectionEvent connectionEvent)
    {
        ArgumentNullException.ThrowIfNull(connectionEvent);
        var e = connectionEvent;
        switch (e.Kind)
        {
            case ConnectionEventKind.Opened:
                // Look up only when the Debug line is written: most agents run at Information.
                EventsLog.Holding(log.IsEnabled(LogEventLevel.Debug) ? Enriched(e) : log, e);
                break;
            case ConnectionEventKind.Verified:
                EventsLog.Verified(log, e);
                break;
            case ConnectionEventKind.Observed:
                EventsLog.Observed(log, e);
                break;
            case ConnectionEventKind.Closed:
                EventsLog.Released(Enriched(e), e);
                break;
        }
    }

    private ILogger Enriched(ConnectionEvent e) => geo is null ? log : geo.Enrich(log, e.Remote.Address);
}
