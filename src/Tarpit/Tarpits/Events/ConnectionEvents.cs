using Serilog;

namespace Tarpit.Tarpits.Events;

/// <summary>
/// Carries connection events from the scheduler thread to the sinks: a <see cref="QueuedSink{T}"/> (drop the newest
/// when the sinks fall behind: the scheduler must never wait on a sink) whose one reader calls every sink in order.
/// </summary>
internal sealed class ConnectionEvents
{
    /// <summary>
    /// Events queued for the sinks before new ones are dropped: a connection storm of a few thousand clients, each with
    /// Opened, Verified and Closed, fits; beyond that the sinks are too slow and memory must stay bounded.
    /// </summary>
    public const int Capacity = 16_384;

    /// <summary>Events handed to the sinks per wake of the dispatcher; each sink still sees them one by one, in order.</summary>
    public const int MaxBatch = 256;

    private readonly IReadOnlyList<IConnectionEventSink> _sinks;
    private readonly ILogger _log;
    private readonly QueuedSink<ConnectionEvent> _queue;

    public ConnectionEvents(IReadOnlyList<IConnectionEventSink> sinks, ILogger log, TimeProvider timeProvider)
    {
        _sinks = sinks;
        _log = log;
        _queue = new QueuedSink<ConnectionEvent>("connection event dispatcher", Capacity, MaxBatch, DispatchAsync, log, timeProvider);
    }

    /// <summary>Events dropped because the queue was full (or published after <see cref="Complete"/>), since start.</summary>
    public long Dropped => _queue.Dropped;

    /// <summary>Queues an event; never blocks.</summary>
    public void Publish(ConnectionEvent connectionEvent) => _queue.Enqueue(connectionEvent);

    /// <summary>No more events: the dispatcher drains what is queued and returns.</summary>
    public void Complete() => _queue.Complete();

    /// <summary>
    /// The dispatcher: hands each event to every sink in order until <see cref="Complete"/> and the queue is drained
    /// (cancellation gives up and counts the rest as dropped). A sink that throws is logged and the others still get
    /// the event.
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken) => _queue.RunAsync(cancellationToken);

    private Task DispatchAsync(IReadOnlyList<ConnectionEvent> batch, CancellationToken cancellationToken)
    {
        foreach (var connectionEvent in batch)
        {
            foreach (var sink in _sinks)
            {
                try
                {
                    sink.Handle(connectionEvent);
                }
                catch (Exception ex)
                {
                    EventsLog.SinkFailed(_log, ex, sink.GetType().Name, connectionEvent.Kind, connectionEvent.ConnectionId);
                }
            }
        }

        return Task.CompletedTask;
    }
}
