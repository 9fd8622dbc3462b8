using Serilog;
using Tarpit.Bans;
using Tarpit.Config;
using Tarpit.Net;
using Tarpit.Store;

namespace Tarpit.Reporting;

/// <summary>
/// The ban service's outbox (<see cref="IBanOutbox"/>): a new ban that <see cref="ReportPolicy"/> reports is
/// queued in the store's outbox inside the ban's own transaction, so the report is as durable as the ban and costs the
/// ban two indexed statements (one lookup, one insert) and nothing else; the network is the sender's business
/// (<see cref="AbuseReporter"/>). A second ban of an address inside <c>min_interval_per_ip</c> of its last report is
/// skipped, not coalesced: the first report stands, and AbuseIPDB would refuse a second one within 15 minutes anyway.
/// Built by the composition root for the daemon and the verbs alike (a ban by hand is queued by the verb and sent by
/// the daemon).
/// </summary>
internal sealed class ReportOutbox(AbuseIpDbConfig config, ReportPolicy policy, BanStore store, TimeProvider time, ILogger log) : IBanOutbox
{
    /// <summary>
    /// Reports waiting at most: more than ten days of the free tier's 1,000 a day. Past it a new report is dropped
    /// (counted, warned once per episode): the oldest are queued first and keep their order.
    /// </summary>
    public const int Capacity = 10_000;

    private long _queued = -1;
    private bool _fullWarned;

    /// <summary>The daemon's metrics, or null (the verbs).</summary>
    public Metrics.AgentMetrics? Metrics { get; set; }

    /// <summary>Reports dropped because the outbox was full, since start.</summary>
    public long Dropped { get; private set; }

    /// <summary>The sender took one out of the queue (sent, duplicate, given up): room for one more.</summary>
    public void Left() => Interlocked.Decrement(ref _queued);

    public void BanStored(BanRecord ban, BanRequest request)
    {
        var shown = NetworkText.Format(ban.Target);
        try
        {
            if (policy.ReasonOf(ban, request, out var why) is not { } reason)
            {
                ReportingLog.NotReported(log, shown, why);
                return;
            }

            var now = time.GetUtcNow();
            if (store.ReportedSince(shown, now - config.MinIntervalPerIp))
            {
                ReportingLog.SkippedInterval(log, shown, DurationSyntax.Format(config.MinIntervalPerIp));
                Metrics?.Report("skipped_interval");
                return;
            }

            if (Interlocked.Read(ref _queued) < 0)
            {
                Interlocked.Exchange(ref _queued, store.CountReports(DateOnly.FromDateTime(now.UtcDateTime)).Queued);
            }

            if (Interlocked.Read(ref _queued) >= Capacity)
            {
                Dropped++;
                Metrics?.Report("dropped_full");
                if (!_fullWarned)
                {
                    _fullWarned = true;
                    ReportingLog.OutboxFull(log, Capacity);
                }

                return;
            }

            _fullWarned = false;
            var categories = ReportCategories.Of(reason)!;
            store.InsertReport(new ReportRow(
                0,
                shown,
                reason,
                ReportCategories.Field(categories),
                ReportComment.For(reason, ban.Reason, ban.BanCount),
                ban.BannedAt,
                now,
                0,
                now));
            Interlocked.Increment(ref _queued);
            Metrics?.Report("queued");
            ReportingLog.Queued(log, shown, reason);
            Queued?.Invoke();
        }
        catch (Exception ex) when (ex is not StoreFaultException)
        {
            // Never the ban's problem: it is stored and redirected whatever becomes of its report.
            ReportingLog.QueueFailed(log, ex, shown);
        }
    }

    /// <summary>Called after each report queued (the daemon's sender wakes); it runs inside the ban's transaction: only signal.</summary>
    public Action? Queued { get; set; }
}
