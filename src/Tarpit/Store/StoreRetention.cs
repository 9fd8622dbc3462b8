using Serilog;

namespace Tarpit.Store;

/// <summary>
/// The daemon's retention task: every <see cref="Interval"/> (and once shortly after start) it deletes the tarpit
/// sessions that ended longer ago than <c>agent.sessions_retention</c> (and the request captures taken as long ago), the bans that ended longer ago than
/// <c>agent.bans_retention</c>, in batches of <see cref="BatchSize"/> rows, each its own short transaction with a
/// pause after it, so the writers (bans, sessions) never wait on it for long. A ban in force is never deleted.
/// Time comes from the <see cref="TimeProvider"/>; a failed pass is logged and the next one tries again.
/// </summary>
internal sealed class StoreRetention(BanStore store, TimeSpan sessionsRetention, TimeSpan bansRetention, TimeProvider time, ILogger log)
{
    /// <summary>How often the store is pruned: retentions are days long, an hour late is nothing.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>The first pass, after start: late enough not to compete with the start's reconcile.</summary>
    public static readonly TimeSpan FirstPassDelay = TimeSpan.FromMinutes(1);

    /// <summary>The pause between two batches, so a writer waiting on the store's lock gets it.</summary>
    public static readonly TimeSpan BatchPause = TimeSpan.FromMilliseconds(50);

    /// <summary>Rows per delete: a few milliseconds of SQLite work (through the <c>sessions_ended</c> index).</summary>
    public const int BatchSize = 2_000;

    private volatile Retentions _retentions = new(sessionsRetention, bansRetention);

    /// <summary>A reload's new retentions, used from the next pass on.</summary>
    public void Reconfigure(TimeSpan newSessionsRetention, TimeSpan newBansRetention) =>
        _retentions = new Retentions(newSessionsRetention, newBansRetention);

    /// <summary>Rows of the AbuseIPDB outbox (done reports, past budget days) deleted since start.</summary>
    public long ReportsPruned { get; private set; }

    /// <summary>Request captures deleted since start (with the sessions, by <c>agent.sessions_retention</c>).</summary>
    public long CapturesPruned { get; private set; }

    /// <summary>Prunes every <see cref="Interval"/> until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var delay = FirstPassDelay;
        while (true)
        {
            try
            {
                await Task.Delay(delay, time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            delay = Interval;
            try
            {
                await PruneAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A service loop: the next pass tries again.
                StoreLog.PruneFailed(log, ex, store.Path, Interval.TotalMinutes);
            }
        }
    }

    /// <summary>One pass: returns the sessions and bans deleted.</summary>
    public async Task<(long Sessions, long Bans)> PruneAsync(CancellationToken cancellationToken)
    {
        var retentions = _retentions;
        var now = time.GetUtcNow();
        var sessions = await DrainAsync(() => store.PruneSessions(now - retentions.Sessions, BatchSize), cancellationToken);
        // The request captures follow the sessions' retention (issue 19 §2).
        CapturesPruned += await DrainAsync(() => store.PruneCaptures(now - retentions.Sessions, BatchSize), cancellationToken);
        var bans = await DrainAsync(() => store.PruneEndedBans(now - retentions.Bans, BatchSize), cancellationToken);
        // AbuseIPDB reports that are done (sent, duplicate, given up) go with the bans they reported.
        ReportsPruned += await DrainAsync(() => store.PruneDoneReports(now - retentions.Bans, BatchSize), cancellationToken);
        if (sessions > 0 || bans > 0)
        {
            StoreLog.Pruned(log, sessions, retentions.Sessions.TotalDays, bans, retentions.Bans.TotalDays);
        }

        return (sessions, bans);
    }

    private async Task<long> DrainAsync(Func<int> batch, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            var deleted = batch();
            total += deleted;
            if (deleted < BatchSize)
            {
                return total;
            }

            await Task.Delay(BatchPause, time, cancellationToken);
        }
    }

    private sealed record Retentions(TimeSpan Sessions, TimeSpan Bans);
}
