using System.Threading.Channels;
using Serilog;
using Tarpit.Config;
using Tarpit.Firewall;
using Tarpit.Store;

namespace Tarpit.Bans;

/// <summary>
/// The daemon's firewall loop: ensure the table, reconcile the store with the kernel, then apply queued ban changes
/// in one batch per flush, retrying with backoff, and reconcile again now and then. A table removed by someone else
/// (<c>nft flush ruleset</c>, <c>nft delete table</c>) is noticed by the <see cref="NftMonitor"/> within a moment, or
/// by the first batch that nft answers "No such file or directory", and restored at once with every stored and held
/// ban; changes that failed meanwhile are kept and applied after it. No firewall error stops it; the store keeps every
/// ban meanwhile, and <see cref="PendingBans"/> the ones the store refused.
/// </summary>
internal sealed partial class FirewallReconciler(
    FirewallConfig config,
    IFirewall firewall,
    FirewallBatcher batcher,
    BanStore store,
    TimeProvider time,
    ILogger log,
    PendingBans? pending = null,
    NftMonitor? monitor = null)
{
    /// <summary>How often the store and the kernel are compared again.</summary>
    public static readonly TimeSpan ReconcileInterval = TimeSpan.FromMinutes(5);

    /// <summary>The first wait after a failure; it doubles up to <see cref="MaxBackoff"/>.</summary>
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A change that nft refuses on its own this many times, each time right after the table was ensured, is dropped
    /// from the queue (the store still holds its ban, for the next reconcile). A failure while the table is missing or
    /// nft cannot be run is never counted: those changes wait, however long it takes.
    /// </summary>
    public const int MaxAttempts = 5;

    /// <summary>
    /// A reconcile of at least this many bans in force is followed by one aggressive, compacting collection, as a big
    /// pull is (<c>CrowdsecBouncer.CompactAfter</c>): reading 100,000 stored bans, the kernel's set and the batch that
    /// writes them is tens of MB of garbage, and when the start's reconcile ran after the startup snapshot's own
    /// collection (the race of <c>bench/crowdsec/alone 100000 2</c>) the GC kept that peak committed: 149–186 MiB
    /// settled RSS against 44–49 MiB without the race (issue 17). Once per such reconcile, every
    /// <see cref="ReconcileInterval"/> at most besides the start and restores.
    /// </summary>
    public const int CompactAfter = 4_000;

    private readonly List<(FirewallChange Change, int Failures)> _pending = [];

    /// <summary>Counts reconciles and the drift they found when the daemon exports metrics; null otherwise.</summary>
    public Metrics.AgentMetrics? Metrics { get; set; }
    /// <summary>Wakes the loop when the table was found removed (one pending wake-up at most).</summary>
    private readonly Channel<bool> _lostSignal = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>
    /// The least time between two restores of a removed table: a flush is answered at once, but something that keeps
    /// removing the table (a loop of reloads, a second agent on the same table) costs one restore a second, not a spin.
    /// </summary>
    public static readonly TimeSpan MinRestoreInterval = TimeSpan.FromSeconds(1);

    private DateTimeOffset _lastRestore = DateTimeOffset.MinValue;

    /// <summary>When the table was found removed (UTC ticks), 0 when it is in place.</summary>
    private long _lostAt;

    private volatile ReconcileOutcome? _last;

    /// <summary>The last reconcile (at start, every <see cref="ReconcileInterval"/>, after a restore): when, and its report or error; null before the first.</summary>
    public ReconcileOutcome? LastReconcile => _last;

    /// <summary>True while the table is known to be missing and not yet restored.</summary>
    public bool TableLost => Interlocked.Read(ref _lostAt) != 0;

    /// <summary>Runs until cancelled; on the way out removes the table unless <c>keep_on_exit</c>.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var following = Task.CompletedTask;
        try
        {
            await StartAsync(cancellationToken);
            // The monitor starts once the table is in place: while anyone listens, the kernel builds a notification
            // for every element a batch adds (perf of a 100,000-ban restore: allocate_slab and __nlmsg_put in nft's
            // own process, a fifth of its time, and the monitor's reading besides). A removal in the moment before it
            // listens is still found by the next batch ("No such file or directory") or reconcile.
            following = monitor?.RunAsync(TableRemoved, watching.Token) ?? Task.CompletedTask;
            var backoff = FirstBackoff;
            var nextReconcile = time.GetUtcNow() + ReconcileInterval;
            while (!cancellationToken.IsCancellationRequested)
            {
                await WaitForWorkAsync(nextReconcile, cancellationToken);
                var ok = false;
                try
                {
                    var restored = true;
                    if (Interlocked.Read(ref _lostAt) != 0)
                    {
                        // At most one restore per MinRestoreInterval, whatever keeps removing the table.
                        if (_lastRestore + MinRestoreInterval - time.GetUtcNow() is { Ticks: > 0 } wait)
                        {
                            await Task.Delay(wait, time, cancellationToken);
                        }

                        _lastRestore = time.GetUtcNow();
                        restored = await RestoreAsync(cancellationToken);
                        nextReconcile = time.GetUtcNow() + ReconcileInterval;
                    }

                    await DrainAsync(cancellationToken);
                    ok = await FlushPendingAsync(cancellationToken) && restored;
                    if (time.GetUtcNow() >= nextReconcile)
                    {
                        ok &= await TryReconcileAsync(cancellationToken, periodic: true) is not null;
                        nextReconcile = time.GetUtcNow() + ReconcileInterval;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The top of a service loop: a bug or a store failure is logged and the loop goes on.
                    BansLog.FirewallLoopFailed(log, ex);
                }

                // A table found missing is restored at once, not after the backoff.
                backoff = ok || Interlocked.Read(ref _lostAt) != 0 ? FirstBackoff : await BackOffAsync(backoff, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        // The monitor stops first: removing the table on the way out is ours.
        await watching.CancelAsync();
        await following;
        await StopAsync();
    }

    /// <summary>
    /// Someone removed the table or part of it (<see cref="NftMonitor"/>, or a batch that found it missing): the loop
    /// restores it at once. Safe from any thread.
    /// </summary>
    public void TableRemoved(string what)
    {
        if (Interlocked.CompareExchange(ref _lostAt, time.GetUtcNow().UtcTicks, 0) == 0)
        {
            BansLog.FirewallTableLost(log, config.Table, what);
        }

        _lostSignal.Writer.TryWrite(true);
    }

    /// <summary>Ensures the table and reconciles (every stored and held ban back in); true when done.</summary>
    private async Task<bool> RestoreAsync(CancellationToken cancellationToken)
    {
        var lostAt = Interlocked.Read(ref _lostAt);
        Interlocked.Exchange(ref _lostAt, 0);
        if (await TryReconcileAsync(cancellationToken) is not { } report)
        {
            // Keep the first time it was lost unless another loss was recorded meanwhile.
            Interlocked.CompareExchange(ref _lostAt, lostAt, 0);
            return false;
        }

        BansLog.FirewallTableRestored(log, config.Table, report.Applied, (time.GetUtcNow() - new DateTimeOffset(lostAt, TimeSpan.Zero)).TotalMilliseconds);
        return true;
    }

    /// <summary>Ensure and reconcile, retrying with backoff until it works or the agent stops.</summary>
    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var backoff = FirstBackoff;
        while (await TryReconcileAsync(cancellationToken) is null)
        {
            backoff = await BackOffAsync(backoff, cancellationToken);
        }
    }

    /// <summary>
    /// Ensure and reconcile; the report, or null after a failure (logged). A periodic run says something only when it
    /// changed something (it runs every <see cref="ReconcileInterval"/>, and an agreeing kernel is the normal case).
    /// </summary>
    private async Task<ReconcileReport?> TryReconcileAsync(CancellationToken cancellationToken, bool periodic = false)
    {
        try
        {
            await firewall.EnsureTableAsync(cancellationToken);
            var report = await ReconcileAsync(cancellationToken);
            if (report.Applied >= CompactAfter)
            {
                // Blocking and compacting, as GCCollectionMode.Aggressive requires.
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }

            _last = new ReconcileOutcome(time.GetUtcNow(), report, null);
            Metrics?.Reconciled(report.Written, report.Adopted);
            if (firewall is ObservingFirewall)
            {
                BansLog.ReconciledFirewallOff(log, report.Applied, report.Expired);
            }
            else if (!periodic)
            {
                BansLog.FirewallTableReady(log, config.Table, report.Applied, report.Written, report.Adopted, report.Expired);
            }
            else
            {
                BansLog.Reconciled(log, config.Table, report.Applied, report.Written, report.Adopted, report.Expired);
            }

            return report;
        }
        catch (FirewallException ex)
        {
            _last = new ReconcileOutcome(time.GetUtcNow(), null, ex.Message);
            BansLog.FirewallNotReady(log, ex.Message);
            Metrics?.ReconcileFailed();
            return null;
        }
        catch (StoreFaultException ex)
        {
            _last = new ReconcileOutcome(time.GetUtcNow(), null, ex.Message);
            BansLog.FirewallNotReady(log, ex.Message);
            Metrics?.ReconcileFailed();
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Part of the service loop: a store failure here must not stop the agent.
            _last = new ReconcileOutcome(time.GetUtcNow(), null, ex.GetType().Name + ": " + ex.Message);
            BansLog.ReconcileFailed(log, ex);
            Metrics?.ReconcileFailed();
            return null;
        }
    }

    private async Task WaitForWorkAsync(DateTimeOffset nextReconcile, CancellationToken cancellationToken)
    {
        if (_pending.Count > 0 || Interlocked.Read(ref _lostAt) != 0)
        {
            return;
        }

        var wait = nextReconcile - time.GetUtcNow();
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            // Work is a queued change, or the table found removed.
            var queued = batcher.Reader.WaitToReadAsync(timeout.Token).AsTask();
            var lost = _lostSignal.Reader.ReadAsync(timeout.Token).AsTask();
            await Task.WhenAny(queued, lost);
            await timeout.CancelAsync();
            await Task.WhenAll(queued, lost).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            cancellationToken.ThrowIfCancellationRequested();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task<TimeSpan> BackOffAsync(TimeSpan backoff, CancellationToken cancellationToken)
    {
        await Task.Delay(backoff, time, cancellationToken);
        return TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
    }

    private async Task StopAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            _pending.AddRange(batcher.Drain().Select(c => (c, 0)));
            await FlushPendingAsync(grace.Token);
            if (!config.KeepOnExit)
            {
                await firewall.RemoveTableAsync(grace.Token);
                BansLog.TableRemoved(log, config.Table);
            }
        }
        catch (Exception ex) when (ex is FirewallException or OperationCanceledException)
        {
            BansLog.CleanupFailed(log, ex.Message);
        }
    }
}
