using System.Net;
using Microsoft.Extensions.Time.Testing;
using Serilog.Events;
using Tarpit.Tarpits.Events;

namespace Tarpit.Tests.Tarpits.Events;

public sealed class ConnectionEventsTests
{
    [Fact]
    public async Task Every_sink_gets_every_event_in_order_even_when_one_throws()
    {
        var log = new CollectingLogSink();
        var first = new CollectingEventSink();
        var last = new CollectingEventSink();
        var events = new ConnectionEvents([first, new ThrowingSink(), last], log.CreateLogger(), TimeProvider.System);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        events.Publish(Event(1, ConnectionEventKind.Opened));
        events.Publish(Event(1, ConnectionEventKind.Closed));
        events.Complete();
        await events.RunAsync(timeout.Token);

        Assert.Equal([ConnectionEventKind.Opened, ConnectionEventKind.Closed], first.Events.Select(e => e.Kind));
        Assert.Equal([ConnectionEventKind.Opened, ConnectionEventKind.Closed], last.Events.Select(e => e.Kind));
        Assert.Equal(2, log.Events.Count(e => e.Level == LogEventLevel.Error && e.Exception is InvalidOperationException));
    }

    [Fact]
    public async Task A_full_queue_drops_new_events_counts_them_and_warns_at_most_once_a_minute()
    {
        var log = new CollectingLogSink();
        var time = new FakeTimeProvider();
        var sink = new CollectingEventSink();
        var events = new ConnectionEvents([sink], log.CreateLogger(), time);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        for (var i = 0; i < ConnectionEvents.Capacity + 10; i++)
        {
            events.Publish(Event(i, ConnectionEventKind.Opened));
        }

        time.Advance(TimeSpan.FromSeconds(59));
        events.Publish(Event(-1, ConnectionEventKind.Opened));
        var warningsWithinAMinute = log.Events.Count(e => e.Level == LogEventLevel.Warning);
        time.Advance(TimeSpan.FromSeconds(1));
        events.Publish(Event(-2, ConnectionEventKind.Opened));
        events.Complete();
        await events.RunAsync(timeout.Token);

        Assert.Equal(12, events.Dropped);
        Assert.Equal(1, warningsWithinAMinute);
        Assert.Equal(3, log.Events.Count(e => e.Level == LogEventLevel.Warning));
        Assert.Equal(ConnectionEvents.Capacity, sink.Events.Count);
        Assert.Equal(ConnectionEvents.Capacity - 1, sink.Events[^1].ConnectionId);
    }

    internal static ConnectionEvent Event(long id, ConnectionEventKind kind) => new(
        kind,
        id,
        DateTimeOffset.UnixEpoch,
        "test",
        "ssh",
        "test-drip",
        new IPEndPoint(IPAddress.Parse("192.0.2.7"), 40000),
        2222,
        22,
        Decoy: false,
        Verified: true,
        FirstBytes: @"SSH-2.0-libssh\x0d\x0a",
        BytesSent: 1234,
        Duration: TimeSpan.FromMilliseconds(61_500));

    private sealed class ThrowingSink : IConnectionEventSink
    {
        public void Handle(ConnectionEvent connectionEvent) => throw new InvalidOperationException("sink bug");
    }
}
