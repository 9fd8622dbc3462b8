using Serilog;
using Tarpit.Config;
using Tarpit.Firewall;
using Tarpit.Store;

namespace Tarpit.Bans;

/// <summary>
/// The daemon's firewall loop: ensure the table, reconcile the store with the kernel, then apply queued ban changes
/// in one batch per flush, retrying with backoff, and reconcile again now and then (someone may have flushed the
/// ruleset). No firewall error stops it; the store keeps every ban meanwhile.
/// </summary>
internal sealed partial class FirewallReconciler(
    FirewallConfig config,
    IFirewall firewall,
    FirewallBatcher batcher,
    BanStore store,
    TimeProvider time,
    ILogger log)
{
    /// <summary>How often the store and the kernel are compared again.</summary>
    public static readonly TimeSpan ReconcileInterval = TimeSpan.FromMinutes(5);

    /// <summary>The first wait after a failure; it doubles up to <see cref="MaxBackoff"/>.</summary>
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    /// <summary>A change that fails on its own this many times is dropped from the queue (the store still holds its ban).</summary>
    public const int MaxAttempts = 5;

    private readonly List<(FirewallChange Change, int Failures)> _pending = [];

    /// <summary>Runs until cancelled; on the way out removes the table unless <c>keep_on_exit</c>.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await StartAsync(cancellationToken);
            var backoff = FirstBackoff;
            var nextReconcile = time.GetUtcNow() + ReconcileInterval;
            while (!cancellationToken.IsCancellationRequested)
            {
                await WaitForWorkAsync(nextReconcile, cancellationToken);
                var ok = false;
                try
                {
                    _pending.AddRange(batcher.Drain().Select(c => (c, 0)));
                    ok = await FlushPendingAsync(cancellationToken);
                    if (time.GetUtcNow() >= nextReconcile)
                    {
                        ok &= await TryReconcileAsync(cancellationToken);
                        nextReconcile = time.GetUtcNow() + ReconcileInterval;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The top of a service loop: a bug or a store failure is logged and the loop goes on.
                    BansLog.FirewallLoopFailed(log, ex);
                }

                backoff = ok ? FirstBackoff : await BackOffAsync(backoff, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await StopAsync();
    }

    /// <summary>Ensure and reconcile, retrying with backoff until it works or the agent stops.</summary>
    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var backoff = FirstBackoff;
        while (!await TryReconcileAsync(cancellationToken))
        {
            backoff = await BackOffAsync(backoff, cancellationToken);
        }
    }

    private async Task<bool> TryReconcileAsync(CancellationToken cancellationToken)
    {
        try
        {
            await firewall.EnsureTableAsync(cancellationToken);
            var report = await ReconcileAsync(cancellationToken);
            if (firewall is ObservingFirewall)
            {
                BansLog.ReconciledFirewallOff(log, report.Applied, report.Expired);
            }
            else
            {
                BansLog.FirewallTableReady(log, config.Table, report.Applied, report.Adopted, report.Expired);
            }

            return true;
        }
        catch (FirewallException ex)
        {
            BansLog.FirewallNotReady(log, ex.Message);
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Part of the service loop: a store failure here must not stop the agent.
            BansLog.ReconcileFailed(log, ex);
            return false;
        }
    }

    private async Task WaitForWorkAsync(DateTimeOffset nextReconcile, CancellationToken cancellationToken)
    {
        if (_pending.Count > 0)
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
            await batcher.Reader.WaitToReadAsync(timeout.Token);
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
