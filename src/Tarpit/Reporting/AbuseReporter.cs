using Serilog;
using Tarpit.Config;
using Tarpit.Store;

namespace Tarpit.Reporting;

/// <summary>
/// The daemon's AbuseIPDB part: sends what the outbox holds, oldest due first, one request at a time. A row is done on
/// 200 or 422 (duplicate); a 5xx or network error retries it with <see cref="ReportBackoff"/>; a 429 pauses every
/// report for its Retry-After; another 4xx (a wrong key) is done as refused. Every answered request counts against
/// <c>daily_budget</c>, a UTC day kept in the store (so a restart does not reset it): when spent, one warning, and the
/// rows wait for the next UTC day. It runs off the ban path: a ban only inserts its row (<see cref="ReportOutbox"/>).
/// </summary>
internal sealed class AbuseReporter(AbuseIpDbConfig config, BanStore store, ReportOutbox outbox, IReportSender sender, TimeProvider time, ILogger log) : IDisposable
{
    /// <summary>Rows a verb (<c>tarpit-agent ban</c>) queued are seen within this; the daemon's own wake it at once.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(30);

    /// <summary>A failure of the loop itself (the store) waits this long before the next pass.</summary>
    public static readonly TimeSpan FailurePause = TimeSpan.FromSeconds(30);

    /// <summary>Rows read per pass; each is its own request.</summary>
    public const int BatchSize = 16;

    private readonly SemaphoreSlim _wake = new(0, 1);
    private DateTimeOffset _pausedUntil;
    private bool _budgetWarned;

    /// <summary>The metrics, or null.</summary>
    public Metrics.AgentMetrics? Metrics { get; set; }

    /// <summary>True while the UTC day's budget is spent.</summary>
    public bool BudgetSpent { get; private set; }

    /// <summary>The outbox and the UTC day's budget now, for <c>status</c> and the metrics.</summary>
    public ReportingStatus Status()
    {
        var counts = store.CountReports(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        return new ReportingStatus(counts, outbox.Dropped, config.DailyBudget, counts.BudgetUsedToday >= config.DailyBudget);
    }

    public void Dispose() => _wake.Dispose();

    /// <summary>A report was queued: look now rather than at the next poll.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        ReportingLog.Started(log, config.ApiUrl.GetLeftPart(UriPartial.Path), config.DailyBudget, DurationSyntax.Format(config.MinIntervalPerIp), string.Join(", ", config.Report));
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                wait = await PassAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A service loop: the rows stay queued for the next pass.
                ReportingLog.LoopFailed(log, ex, FailurePause.TotalSeconds);
                wait = FailurePause;
            }

            if (wait > TimeSpan.Zero)
            {
                await WaitAsync(wait, cancellationToken);
            }
        }
    }

    /// <summary>Waits <paramref name="wait"/> on the time provider, or less when <see cref="Wake"/> is called; a pause (429, budget) ignores wakes.</summary>
    private async Task WaitAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(wait, time, linked.Token);
        var woken = time.GetUtcNow() < _pausedUntil || BudgetSpent ? Task.Delay(Timeout.InfiniteTimeSpan, linked.Token) : _wake.WaitAsync(linked.Token);
        await Task.WhenAny(delay, woken);
        await linked.CancelAsync();
        await Task.WhenAll(delay, woken).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>One pass: sends what is due within the budget; returns how long to wait before the next.</summary>
    internal async Task<TimeSpan> PassAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now < _pausedUntil)
        {
            return _pausedUntil - now;
        }

        var day = DateOnly.FromDateTime(now.UtcDateTime);
        var used = store.CountReports(day).BudgetUsedToday;
        if (used >= config.DailyBudget)
        {
            var midnight = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            if (!_budgetWarned)
            {
                _budgetWarned = true;
                ReportingLog.BudgetSpent(log, config.DailyBudget, midnight.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));
            }

            BudgetSpent = true;
            return midnight - now;
        }

        if (_budgetWarned)
        {
            _budgetWarned = false;
            ReportingLog.BudgetRenewed(log);
        }

        BudgetSpent = false;
        var rows = store.DueReports(now, (int)Math.Min(BatchSize, config.DailyBudget - used));
        if (rows.Count == 0)
        {
            var next = store.NextReportDue() - now;
            return next is { } n && n < PollInterval ? (n < TimeSpan.Zero ? TimeSpan.Zero : n) : PollInterval;
        }

        foreach (var row in rows)
        {
            var result = await sender.SendAsync(row, cancellationToken);
            if (Record(row, result, day) is { } pause)
            {
                return pause;
            }
        }

        return TimeSpan.Zero;
    }

    /// <summary>Stores what became of <paramref name="row"/>; returns a pause when every report must wait (429).</summary>
    private TimeSpan? Record(ReportRow row, ReportResult result, DateOnly day)
    {
        var now = time.GetUtcNow();
        if (result.Answered)
        {
            store.SpendReportBudget(day);
        }

        var attempts = row.Attempts + 1;
        switch (result.Kind)
        {
            case ReportResultKind.Accepted:
                Done(row, ReportState.Sent, attempts, result, now, "sent");
                ReportingLog.Reported(log, row.Address, row.Reason, row.Categories);
                return null;
            case ReportResultKind.Duplicate:
                Done(row, ReportState.Duplicate, attempts, result, now, "duplicate");
                ReportingLog.Duplicate(log, row.Address);
                return null;
            case ReportResultKind.RateLimited:
                // Not the row's fault: its attempts and its place stay, so it goes first when the pause ends.
                store.ReportRetry(row.Id, row.Attempts, result.Status, row.NextAttemptAt);
                _pausedUntil = now + result.RetryAfter;
                Metrics?.Report("rate_limited");
                ReportingLog.RateLimited(log, DurationSyntax.Format(result.RetryAfter));
                return result.RetryAfter;
            case ReportResultKind.Transient when attempts < ReportBackoff.MaxAttempts:
                var delay = ReportBackoff.After(attempts);
                store.ReportRetry(row.Id, attempts, result.Status, now + delay);
                Metrics?.Report("retried");
                ReportingLog.Retrying(log, row.Address, result.Error, attempts, DurationSyntax.Format(delay));
                return null;
            case ReportResultKind.Transient:
                Done(row, ReportState.GaveUp, attempts, result, now, "failed");
                ReportingLog.GaveUp(log, row.Address, attempts, result.Error);
                return null;
            default:
                Done(row, ReportState.Refused, attempts, result, now, "failed");
                ReportingLog.Refused(log, row.Address, result.Status ?? 0, result.Error);
                return null;
        }
    }

    private void Done(ReportRow row, ReportState state, int attempts, ReportResult result, DateTimeOffset now, string outcome)
    {
        store.ReportDone(row.Id, state, attempts, result.Status, now);
        outbox.Left();
        Metrics?.Report(outcome);
    }
}
