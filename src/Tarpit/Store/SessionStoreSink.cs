using Serilog;
using Tarpit.Geo;
using Tarpit.Net;
using Tarpit.Tarpits;
using Tarpit.Tarpits.Events;

namespace Tarpit.Store;

/// <summary>
/// Writes finished tarpit sessions (Closed events) and request captures (Observed events of <see cref="CaptureKeys"/>) to the store in batches, on its own reader: <see cref="Handle"/>
/// only queues (a <see cref="QueuedSink{T}"/>: when full the session is dropped and counted rather than stall the
/// dispatcher). With a <see cref="GeoLookup"/>, each row carries the country and AS of its address (a cached lookup
/// on the dispatcher thread, never on the drip path). The engine runs <see cref="RunAsync"/> and completes it after
/// the last Closed event, so the sessions held at shutdown are stored too.
/// <para>
/// A connection flood must not grow the store by a row per connection (one client process made 36,904 rows in 2 s):
/// a scanner's sessions (unverified, not redirected by a ban, not a decoy hit) are stored up to
/// <see cref="MaxScannerRowsPerAddress"/> per address per <see cref="ScannerInterval"/>; the rest are counted and logged
/// once per interval. Verified, redirected and decoy sessions, the ones <c>list</c> and detection care about, are
/// always stored.
/// </para>
/// </summary>
internal sealed class SessionStoreSink : IConnectionEventSink
{
    /// <summary>Sessions waiting for the writer; at one row per closed connection this is minutes of a flood.</summary>
    public const int QueueCapacity = 10_000;

    /// <summary>Rows per transaction.</summary>
    public const int MaxBatch = 1_000;

    /// <summary>Scanner sessions stored per address per <see cref="ScannerInterval"/>: a reconnecting scanner stays visible.</summary>
    public const int MaxScannerRowsPerAddress = 60;

    /// <summary>Addresses counted per interval; past it, scanner sessions of further addresses are not stored (a flood).</summary>
    public const int MaxTrackedAddresses = 65_536;

    /// <summary>The window of <see cref="MaxScannerRowsPerAddress"/>.</summary>
    public static readonly TimeSpan ScannerInterval = TimeSpan.FromMinutes(1);

    private readonly Dictionary<System.Net.IPAddress, int> _scannerRows = [];
    private readonly TimeProvider _time;
    private DateTimeOffset _intervalEnd = DateTimeOffset.MinValue;
    private long _skipped;
    private readonly BanStore _store;
    private readonly ILogger _log;
    private readonly GeoLookup? _geo;
    private readonly QueuedSink<SessionWrite> _queue;

    public SessionStoreSink(BanStore store, ILogger log, TimeProvider timeProvider, GeoLookup? geo = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _log = log;
        _geo = geo;
        _time = timeProvider;
        _queue = new QueuedSink<SessionWrite>("session writer", QueueCapacity, MaxBatch, WriteAsync, log, timeProvider);
    }

    /// <summary>Sessions dropped because the queue was full.</summary>
    public long Dropped => _queue.Dropped;

    public void Handle(ConnectionEvent connectionEvent)
    {
        ArgumentNullException.ThrowIfNull(connectionEvent);
        if (connectionEvent.Kind == ConnectionEventKind.Observed)
        {
            Capture(connectionEvent);
            return;
        }

        if (connectionEvent.Kind != ConnectionEventKind.Closed)
        {
            return;
        }

        var address = Networks.Unmap(connectionEvent.Remote.Address);
        if (!Admit(connectionEvent, address))
        {
            return;
        }

        var where = _geo?.Lookup(address);
        _queue.Enqueue(new SessionWrite(new SessionRecord(
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
            where?.Asn), null));
    }

    /// <summary>
    /// An Observed event that published a request capture (<see cref="CaptureKeys"/>) becomes a capture row at once, so
    /// a held connection's capture is in the store while it is held. The tarpits bound how many one connection makes.
    /// </summary>
    private void Capture(ConnectionEvent e)
    {
        if (CaptureKeys.ProtocolOf(e.ObservedKey) is not { } protocol || e.ObservedValue is not { } capture || e.IsProxyItself)
        {
            return;
        }

        _queue.Enqueue(new SessionWrite(null, new CaptureRecord(
            Networks.Unmap(e.Remote.Address),
            e.Tarpit,
            protocol,
            e.Timestamp,
            e.Timestamp - e.Duration,
            capture)));
    }

    /// <summary>Scanner sessions not stored since start (past <see cref="MaxScannerRowsPerAddress"/>).</summary>
    public long Skipped { get; private set; }

    /// <summary>Writes queued sessions, one transaction per batch, until <see cref="Complete"/> and drained.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => _queue.RunAsync(cancellationToken);

    /// <summary>No more sessions: <see cref="RunAsync"/> writes what is queued and returns.</summary>
    public void Complete()
    {
        ReportSkipped();
        _queue.Complete();
    }

    /// <summary>Whether this Closed event gets a row: always, unless it is a scanner's past its cap. Dispatcher thread.</summary>
    private bool Admit(ConnectionEvent e, System.Net.IPAddress address)
    {
        if (e.Verified || e.Redirected || e.Decoy)
        {
            return true;
        }

        var now = _time.GetUtcNow();
        if (now >= _intervalEnd)
        {
            ReportSkipped();
            _scannerRows.Clear();
            _intervalEnd = now + ScannerInterval;
        }

        _scannerRows.TryGetValue(address, out var rows);
        if (rows >= MaxScannerRowsPerAddress || (rows == 0 && _scannerRows.Count >= MaxTrackedAddresses))
        {
            _skipped++;
            Skipped++;
            return false;
        }

        _scannerRows[address] = rows + 1;
        return true;
    }

    private void ReportSkipped()
    {
        if (_skipped > 0)
        {
            StoreLog.ScannerSessionsCapped(_log, _skipped, _scannerRows.Count(r => r.Value >= MaxScannerRowsPerAddress), MaxScannerRowsPerAddress, ScannerInterval.TotalSeconds);
            _skipped = 0;
        }
    }

    private Task WriteAsync(IReadOnlyList<SessionWrite> batch, CancellationToken cancellationToken)
    {
        try
        {
            var sessions = new List<SessionRecord>(batch.Count);
            var captures = new List<CaptureRecord>();
            foreach (var write in batch)
            {
                if (write.Session is { } session)
                {
                    sessions.Add(session);
                }
                else if (write.Capture is { } capture)
                {
                    captures.Add(capture);
                }
            }

            _store.AddSessions(sessions, captures);
        }
        catch (Exception ex)
        {
            // A service loop: a failed write loses these rows, not the agent.
            StoreLog.SessionsNotStored(_log, ex, batch.Count, _store.Path);
        }

        return Task.CompletedTask;
    }
}
