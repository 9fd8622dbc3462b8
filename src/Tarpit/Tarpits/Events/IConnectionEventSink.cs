namespace Tarpit.Tarpits.Events;

/// <summary>
/// A consumer of connection events (logging, detection, the store). <see cref="Handle"/> is called on one dispatcher
/// thread, in order; an implementation must return quickly and never block on I/O it does not bound. A sink with
/// slow work queues it (<see cref="QueuedSink{T}"/>) and does it in <see cref="RunAsync"/>.
/// <para>
/// The engine owns its sinks' lifecycle: it runs <see cref="RunAsync"/> beside the dispatcher and, at shutdown,
/// after the last event was handled, calls <see cref="Complete"/> and awaits <see cref="RunAsync"/>.
/// </para>
/// </summary>
internal interface IConnectionEventSink
{
    void Handle(ConnectionEvent connectionEvent);

    /// <summary>The sink's own reader: runs until <see cref="Complete"/> and drained. A sink without a queue has none.</summary>
    Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>No more events will be handled: <see cref="RunAsync"/> finishes what is queued and returns.</summary>
    void Complete()
    {
    }
}
