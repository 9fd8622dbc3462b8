namespace Tarpit.Tarpits.Events;

/// <summary>
/// A consumer of connection events (logging, detection, the store). Called on one dispatcher thread, in order;
/// an implementation must return quickly and never block on I/O it does not bound.
/// </summary>
internal interface IConnectionEventSink
{
    void Handle(ConnectionEvent connectionEvent);
}
