using System.Collections.Concurrent;
using Tarpit.Tarpits.Events;

namespace Tarpit.Tests.Tarpits.Events;

/// <summary>Keeps every connection event it is handed, thread-safely.</summary>
internal sealed class CollectingEventSink : IConnectionEventSink
{
    private readonly ConcurrentQueue<ConnectionEvent> _events = new();

    public IReadOnlyList<ConnectionEvent> Events => [.. _events];

    public IReadOnlyList<ConnectionEvent> OfKind(ConnectionEventKind kind) => [.. _events.Where(e => e.Kind == kind)];

    public void Handle(ConnectionEvent connectionEvent) => _events.Enqueue(connectionEvent);
}
