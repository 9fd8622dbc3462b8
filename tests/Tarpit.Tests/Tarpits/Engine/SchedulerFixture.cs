using Microsoft.Extensions.Time.Testing;
using Tarpit.Tarpits.Engine;
using Tarpit.Tarpits.Events;
using Tarpit.Tests.Tarpits.Events;

namespace Tarpit.Tests.Tarpits.Engine;

/// <summary>A scheduler without its thread: the test calls RunOnce after moving a FakeTimeProvider.</summary>
internal sealed class SchedulerFixture : IDisposable
{
    public SchedulerFixture()
    {
        Events = new ConnectionEvents([Sink], Log.CreateLogger(), Time);
        Scheduler = new TarpitScheduler(Events, Log.CreateLogger(), Time, new Random(3));
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public CollectingEventSink Sink { get; } = new();

    public CollectingLogSink Log { get; } = new();

    public ConnectionEvents Events { get; }

    public TarpitScheduler Scheduler { get; }

    public LoopbackPair Loopback { get; } = new();

    /// <summary>Moves the clock and runs one pass.</summary>
    public TimeSpan? Advance(TimeSpan by)
    {
        Time.Advance(by);
        return Scheduler.RunOnce();
    }

    /// <summary>Ends the event stream and delivers everything published so far to <see cref="Sink"/>.</summary>
    public async Task DrainEventsAsync()
    {
        Events.Complete();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Events.RunAsync(timeout.Token);
    }

    public void Dispose()
    {
        Scheduler.Dispose();
        Loopback.Dispose();
    }
}
