using System.Threading.Channels;
using Serilog;
using Tarpit.Geo;
using Tarpit.Net;
using Tarpit.Tarpits.Events;

namespace Tarpit.Store;

/// <summary>
/// Writes finished tarpit sessions (Closed events) to the store in batches, on its own task: <see cref="Handle"/>
/// only queues (TryWrite never waits), and when the queue is full the session is dropped and counted rather than
/// stall the dispatcher. With a <see cref="GeoLookup"/>, each row carries the country and AS of its address (a cached
/// lookup on the dispatcher thread, never on the drip path).
/// </summary>
internal sealed class SessionStoreSink(BanStore store, ILogger log, GeoLookup? geo = null) : IConnectionEventSink
{
    /// <summary>Sessions waiting for the writer; at one row per closed connection this is minutes of a flood.</summary>
    public const int QueueCapacity = 10_000;

    /// <summary>Rows per transaction.</summary>
    public const int MaxBatch = 1_000;

    private readonly Channel<SessionRecord> _queue = Channel.CreateBounded<SessionRecord>(
        new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    private long _dropped;

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Handle(ConnectionEvent connectionEvent)
    {
        ArgumentNullException.ThrowIfNull(connectionEvent);
        if (connectionEvent.Kind != ConnectionEventKind.Closed)
        {
            return;
        }

        var address = Networks.Unmap(connectionEvent.Remote.Address);
        var where = geo?.Lookup(address);
        var session = new SessionRecord(
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
            where?.Asn);
        if (!_queue.Writer.TryWrite(session))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Writes queued sessions until cancelled, then writes what is left.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var batch = new List<SessionRecord>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(cancellationToken))
            {
                Drain(batch);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Drain(batch);
        }
    }

    private void Drain(List<SessionRecord> batch)
    {
        while (true)
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var session))
            {
                batch.Add(session);
            }

            if (batch.Count == 0)
            {
                return;
            }

            try
            {
                store.AddSessions(batch);
            }
            catch (Exception ex)
            {
                // A service loop: a failed write loses these rows, not the agent.
                log.Error(ex, "Could not store {Count} tarpit sessions in {Path}", batch.Count, store.Path);
            }
        }
    }
}
