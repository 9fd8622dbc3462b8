using Serilog;
using Serilog.Events;
using Tarpit.Firewall;

namespace Tarpit.Bans;

/// <summary>
/// The log lines of the ban stack (ban service, firewall loop), each template written once (Kestrel's
/// <c>SocketsLog</c>). Targets arrive formatted by <c>NetworkText.Format</c>, durations by <c>DurationSyntax.Format</c>.
/// </summary>
internal static class BansLog
{
    public static void RefusedByAllow(ILogger log, string remote, string allow) =>
        log.Warning("Refused to ban {RemoteIP}: allowlisted by firewall.allow {Allow}", remote, allow);

    public static void RefusedByGeo(ILogger log, string remote, string allowReason) =>
        log.Warning("Refused to ban {RemoteIP}: {AllowReason}", remote, allowReason);

    public static void Banned(ILogger log, string remote, string banTime, int banCount, string source, string reason) =>
        log.Information("Banned {RemoteIP} for {BanTime} (ban #{BanCount}, {Source}: {Reason})", remote, banTime, banCount, source, reason);

    public static void Refreshed(ILogger log, string remote, string banTime) =>
        log.Debug("Refreshed the ban of {RemoteIP} for {BanTime}", remote, banTime);

    public static void BanRefreshed(ILogger log, string remote, string banTime, int banCount, string source) =>
        log.Information("Ban of {RemoteIP} refreshed to {BanTime} by {Source} (ban #{BanCount}, the same incident: not escalated)", remote, banTime, source, banCount);

    public static void BannedElsewhere(ILogger log, string remote, string banTime, int banCount, string source, string reason) =>
        log.Information(
            "Banned {RemoteIP} for {BanTime} (ban #{BanCount}, {Source}: {Reason}), stored by tarpit-agent ban",
            remote,
            banTime,
            banCount,
            source,
            reason);

    public static void UnbannedElsewhere(ILogger log, string remote) =>
        log.Information("Unbanned {RemoteIP}, by tarpit-agent unban", remote);

    public static void NestedBack(ILogger log, string remote, string banTime) =>
        log.Information("The wider ban around {RemoteIP} ended; its own ban is in the firewall again ({BanTime} left)", remote, banTime);

    public static void FollowFailed(ILogger log, Exception ex) =>
        log.Error(ex, "Following the store failed; trying again in a second");

    public static void Unbanned(ILogger log, string remote) =>
        log.Information("Unbanned {RemoteIP}", remote);

    public static void BanStoredFirewallFailed(ILogger log, string remote, string error) =>
        log.Error("Firewall failed; the ban of {RemoteIP} is stored and will be retried: {Error}", remote, error);

    public static void FirewallLoopFailed(ILogger log, Exception ex) =>
        log.Error(ex, "Firewall loop failed; retrying");

    public static void ReconciledFirewallOff(ILogger log, int restored, int expired) =>
        log.Information("Firewall off: {Restored} active bans in the store would be applied, {Expired} expired", restored, expired);

    public static void FirewallTableReady(ILogger log, string table, int inForce, int written, int adopted, int expired) =>
        log.Information(
            "Firewall table {Table} ready: {InForce} bans in force, {Written} changed in nft (missing, drifted or overlapping), {Adopted} adopted from nft, {Expired} expired",
            table,
            inForce,
            written,
            adopted,
            expired);

    /// <summary>A periodic reconcile: Information when it changed something, else Debug (it runs every few minutes).</summary>
    public static void Reconciled(ILogger log, string table, int inForce, int written, int adopted, int expired) =>
        log.Write(
            written + adopted + expired > 0 ? LogEventLevel.Information : LogEventLevel.Debug,
            "Reconciled firewall table {Table}: {InForce} bans in force, {Written} changed in nft (missing, drifted or overlapping), {Adopted} adopted from nft, {Expired} expired",
            table,
            inForce,
            written,
            adopted,
            expired);

    public static void FirewallNotReady(ILogger log, string error) =>
        log.Error("Firewall not ready, bans are kept in the store and retried: {Error}", error);

    public static void ReconcileFailed(ILogger log, Exception ex) =>
        log.Error(ex, "Reconciling the store with the firewall failed; retrying");

    public static void TableRemoved(ILogger log, string table) =>
        log.Information("Removed firewall table {Table} (keep_on_exit = false)", table);

    public static void CleanupFailed(ILogger log, string error) =>
        log.Error("Firewall cleanup on exit failed: {Error}", error);

    public static void BatchApplied(ILogger log, int count) =>
        log.Debug("Applied {Count} firewall changes in one batch", count);

    public static void BatchFailed(ILogger log, int count, string error) =>
        log.Error("Firewall batch of {Count} changes failed, retrying: {Error}", count, error);

    public static void GaveUpOnChange(ILogger log, FirewallChangeKind kind, string remote, int attempts) =>
        log.Error("Giving up on firewall change {Kind} {RemoteIP} after {Attempts} attempts; the store keeps the ban for the next reconcile", kind, remote, attempts);

    public static void StoreRefusedBans(ILogger log, string fault, string detail, int capacity) =>
        log.Warning(
            "The store refuses writes ({Fault}): new bans are redirected in nft at once and held in memory (at most {Capacity}), stored once it works again: {Error}",
            fault,
            capacity,
            detail);

    public static void BanHeld(ILogger log, string remote, string banTime, bool held, string fault) =>
        log.Information("Redirected {RemoteIP} for {BanTime}, not stored ({Fault}); held for the store: {Held}", remote, banTime, fault, held);

    public static void PendingBansFull(ILogger log, int capacity, string fault) =>
        log.Warning("{Capacity} bans are already held for the store ({Fault}): newer ones are redirected in nft but never stored", capacity, fault);

    public static void RefreshRefused(ILogger log, string remote, string fault, string detail) =>
        log.Warning(
            "The store refused to refresh the ban of {RemoteIP} ({Fault}): bans of returning clients keep their end until it takes writes again (not logged again until then): {Error}",
            remote,
            fault,
            detail);

    public static void RefreshStoredAgain(ILogger log, double seconds) =>
        log.Warning("The store takes refreshes again (refused for {Seconds:0}s)", seconds);

    public static void StoreRecovered(ILogger log, string fault, double seconds, int stored, long dropped) =>
        log.Warning("The store takes writes again ({Fault} for {Seconds:0}s): stored {Stored} held bans, {Dropped} were not held", fault, seconds, stored, dropped);

    public static void PendingBansLost(ILogger log, int count, string fault) =>
        log.Error("Stopping with {Count} bans not stored ({Fault}); their redirects stay in nft until they time out or the table is removed", count, fault);

    public static void ReconcileStoreFault(ILogger log, string fault) =>
        log.Warning("Reconciling with a store that refuses writes ({Fault}): stored bans are applied, expired ones are not marked and unknown elements not adopted", fault);

    public static void FirewallTableLost(ILogger log, string table, string what) =>
        log.Warning("The nft table {Table} was changed by someone else ({What}, e.g. nft flush ruleset or systemctl reload nftables): restoring it and every ban", table, what);

    public static void FirewallTableRestored(ILogger log, string table, int restored, double milliseconds) =>
        log.Warning("Restored the nft table {Table} with {Restored} bans, {DurationMs:0} ms after it was removed", table, restored, milliseconds);

}
