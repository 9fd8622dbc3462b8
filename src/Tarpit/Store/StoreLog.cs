using Serilog;

namespace Tarpit.Store;

/// <summary>The log lines of the state database, each template written once (Kestrel's <c>SocketsLog</c>).</summary>
internal static class StoreLog
{
    public static void SessionsNotStored(ILogger log, Exception ex, int count, string path) =>
        log.Error(ex, "Could not store {Count} tarpit sessions in {Path}", count, path);

    public static void Pruned(ILogger log, long sessions, double sessionsDays, long bans, double bansDays) =>
        log.Information(
            "Retention: deleted {Sessions} tarpit sessions older than {SessionsRetentionDays} d and {Bans} bans ended more than {BansRetentionDays} d ago",
            sessions,
            sessionsDays,
            bans,
            bansDays);

    public static void PruneFailed(ILogger log, Exception ex, string path, double retryMinutes) =>
        log.Error(ex, "Retention could not prune {Path}; trying again in {RetryMinutes} min", path, retryMinutes);

    public static void ScannerSessionsCapped(ILogger log, long skipped, int addresses, int cap, double intervalSeconds) =>
        log.Information(
            "Session rows not stored: {Skipped} unverified connections from {Addresses} addresses past {Cap} per address in {IntervalSeconds} s",
            skipped,
            addresses,
            cap,
            intervalSeconds);
}
