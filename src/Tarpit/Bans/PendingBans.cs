using System.Threading.Channels;
using Serilog;
using Tarpit.Firewall;
using Tarpit.Store;

namespace Tarpit.Bans;

/// <summary>
/// Bans the daemon decided while the store refused writes (locked past its busy timeout, disk full, read-only): held in
/// memory, oldest first, and stored by <see cref="RunAsync"/> with backoff once the store takes writes again. Their
/// redirects went to nft at once (<see cref="FirewallChangeKind.Ensure"/>), and the reconciler re-applies them after a
/// ruleset flush (<see cref="Redirects"/>). One warning when an episode begins, one line when it ends.
/// </summary>
internal sealed class PendingBans(TimeProvider time, ILogger log)
{
    /// <summary>
    /// The most bans held at once: a ban request is a few hundred bytes (its reason is at most
    /// <see cref="BanService.ReasonMaxLength"/> characters), so a few MB, and more offenders than a day of a busy
    /// server's log. Past it the oldest are kept and a newer decision is still redirected in nft for its first ban
    /// length, but not held: it is counted, warned about once per episode, and never stored.
    /// </summary>
    public const int Capacity = 10_000;

    /// <summary>The held bans stored per transaction, as a watch's batch (<c>WatchJudge.MaxBatch</c>).</summary>
    public const int MaxBatch = 256;

    /// <summary>The first wait before storing again; it doubles up to <see cref="MaxRetry"/>.</summary>
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly List<Held> _held = [];
    private readonly Channel<bool> _arrived = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private StoreFaultException? _fault;
    private DateTimeOffset _since;
    private int _stored;
    private long _dropped;
    private long _droppedTotal;

    /// <summary>The fault of the episode in progress (the first one seen), or null while the store takes writes.</summary>
    public StoreFaultException? Fault
    {
        get
        {
            lock (_gate)
            {
                return _fault;
            }
        }
    }

    /// <summary>Bans held now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>Decisions not held since the agent started, because <see cref="Capacity"/> were already waiting.</summary>
    public long Dropped => Interlocked.Read(ref _droppedTotal);

    /// <summary>
    /// Holds a ban the store refused; false when <see cref="Capacity"/> are already held (the oldest are kept). The
    /// first fault of an episode is logged as a warning, once.
    /// </summary>
    public bool Hold(BanRequest request, TimeSpan? redirectFor, StoreFaultException fault)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(fault);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_fault is null)
            {
                _fault = fault;
                _since = now;
                _stored = 0;
                _dropped = 0;
                BansLog.StoreRefusedBans(log, fault.FaultName, fault.Message, Capacity);
            }

            if (_held.Count >= Capacity)
            {
                if (_dropped++ == 0)
                {
                    BansLog.PendingBansFull(log, Capacity, fault.FaultName);
                }

                Interlocked.Increment(ref _droppedTotal);
                return false;
            }

            _held.Add(new Held(request, redirectFor is { } length ? now + length : null));
        }

        _arrived.Writer.TryWrite(true);
        return true;
    }

    /// <summary>The redirects the held bans still need in the kernel, for a reconcile (after a ruleset flush).</summary>
    public IReadOnlyList<FirewallChange> Redirects(DateTimeOffset now)
    {
        lock (_gate)
        {
            return [.. _held
                .Where(h => h.RedirectUntil is not { } until || until > now)
                .Select(h => FirewallChange.Ensure(h.Request.Target, h.RedirectUntil is { } until ? until - now : null))];
        }
    }

    /// <summary>
    /// Stores the held bans through <paramref name="storeAll"/> (the ban service's store path, which throws
    /// <see cref="StoreFaultException"/> while the fault lasts), oldest first, retrying with backoff, until cancelled;
    /// then one last attempt, and a line saying what could not be stored.
    /// </summary>
    public async Task RunAsync(Func<IReadOnlyList<BanRequest>, CancellationToken, Task> storeAll, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storeAll);
        var backoff = FirstRetry;
        try
        {
            while (true)
            {
                if (Count == 0)
                {
                    await _arrived.Reader.ReadAsync(cancellationToken);
                    continue;
                }

                if (await TryStoreAsync(storeAll, cancellationToken))
                {
                    backoff = FirstRetry;
                    continue;
                }

                await Task.Delay(backoff, time, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxRetry.Ticks));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        // Stopping: one more try for what is held, then say what is lost (its redirects stay until they time out).
        while (Count > 0 && await TryStoreAsync(storeAll, CancellationToken.None))
        {
        }

        if (Count is var left and > 0)
        {
            BansLog.PendingBansLost(log, left, Fault?.FaultName ?? "");
        }
    }

    /// <summary>One transaction of the oldest held bans; true when they were stored (or nothing was held).</summary>
    private async Task<bool> TryStoreAsync(Func<IReadOnlyList<BanRequest>, CancellationToken, Task> storeAll, CancellationToken cancellationToken)
    {
        List<Held> batch;
        lock (_gate)
        {
            batch = [.. _held.Take(MaxBatch)];
        }

        if (batch.Count == 0)
        {
            return true;
        }

        try
        {
            await storeAll([.. batch.Select(h => h.Request)], cancellationToken);
        }
        catch (StoreFaultException)
        {
            return false;
        }

        lock (_gate)
        {
            // Holds only append, so the batch is still the head of the list.
            _held.RemoveRange(0, batch.Count);
            _stored += batch.Count;
            if (_held.Count == 0 && _fault is { } fault)
            {
                BansLog.StoreRecovered(log, fault.FaultName, (time.GetUtcNow() - _since).TotalSeconds, _stored, _dropped);
                _fault = null;
            }
        }

        return true;
    }

    /// <summary>A held ban and when its interim redirect ends (null: permanent).</summary>
    private sealed record Held(BanRequest Request, DateTimeOffset? RedirectUntil);
}
