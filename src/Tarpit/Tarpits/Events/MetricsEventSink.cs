using System.Globalization;
using Tarpit.Metrics;

namespace Tarpit.Tarpits.Events;

/// <summary>
/// Counts connections from the events the engine already publishes, on the dispatcher thread (never on the scheduler
/// thread, whose drips stay free of metrics): Opened is accepted and held, Verified verified, Closed no longer held,
/// its bytes, how long it was held, and for a bomb what its body inflates to. Events the dispatcher dropped are
/// counted in <c>tarpit_events_dropped_total</c>, so a held gauge that drifted says why.
/// </summary>
internal sealed class MetricsEventSink(AgentMetrics metrics) : IConnectionEventSink
{
    public void Handle(ConnectionEvent connectionEvent)
    {
        ArgumentNullException.ThrowIfNull(connectionEvent);
        var e = connectionEvent;
        switch (e.Kind)
        {
            case ConnectionEventKind.Opened:
                metrics.ConnectionOpened(e.Tarpit, e.Protocol, e.Mode);
                break;
            case ConnectionEventKind.Verified:
                metrics.ConnectionVerified(e.Tarpit, e.Protocol, e.Mode);
                break;
            case ConnectionEventKind.Closed:
                metrics.ConnectionClosed(e.Tarpit, e.Protocol, e.Mode, e.BytesSent, e.Duration);
                if (Bomb(e) is var (compressed, inflated))
                {
                    metrics.BombSent(e.Tarpit, compressed, inflated);
                }

                break;
        }
    }

    /// <summary>
    /// For a connection that was sent a bomb: the body bytes sent (what it sent, at most the body: the head is a few
    /// hundred bytes of it) and what they inflate to, in proportion.
    /// </summary>
    private static (long Compressed, long Inflated)? Bomb(ConnectionEvent e)
    {
        if (e.Details is not { } details
            || !details.TryGetValue(BombDetails.CompressedBytes, out var compressedText)
            || !details.TryGetValue(BombDetails.InflatedBytes, out var inflatedText)
            || !long.TryParse(compressedText, NumberStyles.None, CultureInfo.InvariantCulture, out var body)
            || !long.TryParse(inflatedText, NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || body <= 0)
        {
            return null;
        }

        var sent = Math.Min(e.BytesSent, body);
        return (sent, (long)((double)sent / body * size));
    }
}
