using Serilog;

namespace Tarpit.Firewall;

/// <summary>
/// The log lines of the firewall (nft, conntrack, the observing firewall when it is off), each template written once
/// (Kestrel's <c>SocketsLog</c>). Targets arrive formatted by <c>NetworkText.Format</c>.
/// </summary>
internal static class FirewallLog
{
    public static void WouldBan(ILogger log, string remote, string banTime) =>
        log.Information("Firewall off: would ban {RemoteIP} for {BanTime}", remote, banTime);

    public static void WouldUnban(ILogger log, string remote) =>
        log.Information("Firewall off: would unban {RemoteIP}", remote);

    public static void CutsBehind(ILogger log, int count, int capacity) =>
        log.Warning("Cutting established flows is behind: skipped {Count} new bans (queue of {Capacity} full)", count, capacity);

    public static void BurstNotCut(ILogger log, int count, int limit) =>
        log.Warning("{Count} new bans in one batch: established flows are not cut for a burst this large (limit {Limit})", count, limit);

    public static void CutFailed(ILogger log, string remote, string error) =>
        log.Warning("Could not cut established flows of {RemoteIP}: {Error}", remote, error);

    public static void Cut(ILogger log, string remote, int originalPort) =>
        log.Debug("Cut established flows of {RemoteIP} to port {OriginalPort}", remote, originalPort);

    public static void MonitorFailed(ILogger log, string error, double delaySeconds) =>
        log.Warning("Following nft monitor failed ({Error}); a removed table is noticed at the next batch or reconcile meanwhile; following again in {DelaySeconds}s", error, delaySeconds);
}
