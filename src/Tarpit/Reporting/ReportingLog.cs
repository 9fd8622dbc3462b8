using Serilog;

namespace Tarpit.Reporting;

/// <summary>The log lines of AbuseIPDB reporting, each template written once. No line ever carries the API key.</summary>
internal static class ReportingLog
{
    public static void Started(ILogger log, string url, int budget, string interval, string reasons) =>
        log.Information("Reporting bans to AbuseIPDB at {Url} (at most {Budget} a day, one per address every {Interval}; reasons: {Reasons})", url, budget, interval, reasons);

    public static void NotReported(ILogger log, string remote, string why) =>
        log.Debug("Not reporting {RemoteIP} to AbuseIPDB: {Why}", remote, why);

    public static void Queued(ILogger log, string remote, string reason) =>
        log.Debug("Queued a report of {RemoteIP} to AbuseIPDB ({Reason})", remote, reason);

    public static void SkippedInterval(ILogger log, string remote, string interval) =>
        log.Debug("Not reporting {RemoteIP} to AbuseIPDB again: reported within min_interval_per_ip {Interval}", remote, interval);

    public static void OutboxFull(ILogger log, int capacity) =>
        log.Warning("The AbuseIPDB outbox holds {Capacity} reports waiting; newer bans are not reported until it drains (counted in tarpit_abuseipdb_reports_total{{outcome=\"dropped_full\"}})", capacity);

    public static void QueueFailed(ILogger log, Exception ex, string remote) =>
        log.Warning(ex, "Could not queue the AbuseIPDB report of {RemoteIP}; the ban stands", remote);

    public static void Reported(ILogger log, string remote, string reason, string categories) =>
        log.Information("Reported {RemoteIP} to AbuseIPDB ({Reason}, categories {Categories})", remote, reason, categories);

    public static void Duplicate(ILogger log, string remote) =>
        log.Information("AbuseIPDB already had a recent report of {RemoteIP} (422): not sent again", remote);

    public static void Retrying(ILogger log, string remote, string error, int attempt, string delay) =>
        log.Warning("Reporting {RemoteIP} to AbuseIPDB failed ({Error}), attempt {Attempt}; trying again in {Delay}", remote, error, attempt, delay);

    public static void GaveUp(ILogger log, string remote, int attempts, string error) =>
        log.Warning("Gave up reporting {RemoteIP} to AbuseIPDB after {Attempts} attempts ({Error})", remote, attempts, error);

    public static void Refused(ILogger log, string remote, int status, string error) =>
        log.Warning("AbuseIPDB refused the report of {RemoteIP} ({Status} {Error}); not retried: check api_key_file and the account", remote, status, error);

    public static void RateLimited(ILogger log, string delay) =>
        log.Warning("AbuseIPDB asked us to slow down (429): reporting pauses for {Delay}", delay);

    public static void BudgetSpent(ILogger log, int budget, string resumesAt) =>
        log.Warning("The AbuseIPDB daily_budget of {Budget} requests is spent; reporting resumes at {ResumesAt} (UTC midnight); reports stay queued", budget, resumesAt);

    public static void BudgetRenewed(ILogger log) =>
        log.Information("A new UTC day: AbuseIPDB reporting resumes");

    public static void LoopFailed(ILogger log, Exception ex, double seconds) =>
        log.Error(ex, "AbuseIPDB reporting failed; trying again in {Seconds}s", seconds);
}
