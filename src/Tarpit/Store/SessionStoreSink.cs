using Serilog;
using Tarpit.Geo;
using Tarpit.Net;
using Tarpit.Tarpits.Events;

namespace Tarpit.Store;

/// <summary>
/// Writes finished tarpit sessions (Closed events) to the store in batches, on its own reader: <see cref="Handle"/>
/// only queues (a <see cref="QueuedSink{T}"/>: when full the session is dropped and counted rather than stall the
/// dispatcher). With a <see cref="GeoLookup"/>, each row carries the country and AS of its address (a cached lookup
/// on the dispatcher thread, never on the drip path). The engine runs <see cref="RunAsync"/> and completes it after
/// the last Closed event, so the sessions held at shutdown are stored too.
/// </summary>
internal sealed class SessionStoreSink : IConnectionEventSink
{
    /// <summary>Sessions waiting for the writer; at one row per closed connection this is minutes of a flood.</summary>
    public const int QueueCapacity = 10_000;

    /// <summary>Rows per transaction.</summary>
    public const int MaxBatch = 1_000;

    private readonly BanStore _store;
    private readonly ILogger _log;
    private readonly GeoLookup? _geo;
    private readonly QueuedSink<SessionRecord> _queue;

    public SessionStoreSink(BanStore store, ILogger log, TimeProvider timeProvider, GeoLookup? geo = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _log = log;
        _geo = geo;
        _queue = new QueuedSink<SessionRecord>("session writer", QueueCapacity, MaxBatch, WriteAsync, log, timeProvider);
    }

    /// <summary>Sessions dropped because the queue was full.</summary>
    public long Dropped => _queue.Dropped;

    public void Handle(ConnectionEvent connectionEvent)
    {
        ArgumentNullException.ThrowIfNull(connectionEvent);
        if (connectionEvent.Kind != ConnectionEventKind.Closed)
        {
            return;
        }

        var address = Networks.Unmap(connectionEvent.Remote.Address);
        var where = _geo?.Lookup(address);
        _queue.Enqueue(new SessionRecord(
            address,
            connectionEvent.Tarpit,
            connectionEvent.Mode,
            connectionEvent.OriginalPort,
            connectionEvent.Timestamp - connectionEvent.Duration,
            connectionEvent.Timestamp,
            connectionEvent.BytesSent,
            connectionEvent.Verified,
            connectionEvent.FirstBytes,
            where?.CountryCode,
            where?.Asn));
    }

    /// <summary>Writes queued sessions, one transaction per batch, until <see cref="Complete"/> and drained.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => _queue.RunAsync(cancellationToken);

    /// <summary>No more sessions: <see cref="RunAsync"/> writes what is queued and returns.</summary>
    public void Complete() => _queue.Complete();

    private Task WriteAsync(IReadOnlyList<SessionRecord> batch, CancellationToken cancellationToken)
    {
        try
        {
            _store.AddSessions(batch);
        }
        catch (Exception ex)
        {
            // A service loop: a failed write loses these rows, not the agent.
            StoreLog.SessionsNotStored(_log, ex, batch.Count, _store.Path);
        }

        return Task.CompletedTask;
    }
}
