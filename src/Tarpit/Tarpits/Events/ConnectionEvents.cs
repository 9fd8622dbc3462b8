using System.Threading.Channels;
using Serilog;

namespace Tarpit.Tarpits.Events;

/// <summary>
/// Carries connection events from the scheduler thread to the sinks: a bounded channel that drops new events when the
/// sinks fall behind (the scheduler must never wait on a sink), and one dispatcher that calls every sink in order.
/// </summary>
internal sealed class ConnectionEvents
{
    /// <summary>
    /// Events queued for the sinks before new ones are dropped: a connection storm of a few thousand clients, each with
    /// Opened, Verified and Closed, fits; beyond that the sinks are too slow and memory must stay bounded.
    /// </summary>
    public const int Capacity = 16_384;

    /// <summary>The dropped-events warning is logged at most this often.</summary>
    public static readonly TimeSpan DropWarningInterval = TimeSpan.FromMinutes(1);

    private readonly IReadOnlyList<IConnectionEventSink> sinks;
    private readonly ILogger log;
    private readonly TimeProvider timeProvider;
    private readonly Channel<ConnectionEvent> channel;
    private long dropped;
    private long lastDropWarning = long.MinValue;

    public ConnectionEvents(IReadOnlyList<IConnectionEventSink> sinks, ILogger log, TimeProvider timeProvider)
    {
        this.sinks = sinks;
        this.log = log;
        this.timeProvider = timeProvider;
        channel = Channel.CreateBounded<ConnectionEvent>(
            new BoundedChannelOptions(Capacity)
            {
                FullMode = BoundedChannelFullMode.DropWrite,
                SingleReader = true,
                SingleWriter = false,
            },
            OnDropped);
    }

    /// <summary>Events dropped because the queue was full, since start.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Queues an event; never blocks. After <see cref="Complete"/> the event is discarded.</summary>
    public void Publish(ConnectionEvent connectionEvent) => channel.Writer.TryWrite(connectionEvent);

    /// <summary>No more events: the dispatcher drains what is queued and returns.</summary>
    public void Complete() => channel.Writer.TryComplete();

    /// <summary>
    /// The dispatcher: hands each event to every sink in order until <see cref="Complete"/> and the queue is drained.
    /// A sink that throws is logged and the others still get the event.
    /// </summary>
    public async Task DispatchAsync(CancellationToken cancellationToken)
    {
        await foreach (var connectionEvent in channel.Reader.ReadAllAsync(cancellationToken))
        {
            foreach (var sink in sinks)
            {
                try
                {
                    sink.Handle(connectionEvent);
                }
                catch (Exception ex)
                {
                    log.Error(ex, "Connection event sink {Sink} failed on {Kind} of connection {ConnectionId}", sink.GetType().Name, connectionEvent.Kind, connectionEvent.ConnectionId);
                }
            }
        }

        if (Dropped > 0)
        {
            log.Warning("{DroppedEvents} connection events were dropped in all because the sinks fell behind", Dropped);
        }
    }

    private void OnDropped(ConnectionEvent connectionEvent)
    {
        var total = Interlocked.Increment(ref dropped);
        var now = timeProvider.GetTimestamp();
        var last = Interlocked.Read(ref lastDropWarning);
        if (last != long.MinValue && timeProvider.GetElapsedTime(last, now) < DropWarningInterval)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref lastDropWarning, now, last) == last)
        {
            log.Warning(
                "Connection event queue full ({Capacity} events): dropped {DroppedEvents} events so far, the latest {Kind} of connection {ConnectionId}; the event sinks are too slow",
                Capacity,
                total,
                connectionEvent.Kind,
                connectionEvent.ConnectionId);
        }
    }
}
