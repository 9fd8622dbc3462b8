using Serilog;

namespace Tarpit.Firewall;

/// <summary>
/// The log lines of the firewall (nft, the observing firewall when it is off), each template written once
/// (Kestrel's <c>SocketsLog</c>). Targets arrive formatted by <c>NetworkText.Format</c>.
/// </summary>
internal static class FirewallLog
{
    public static void WouldBan(ILogger log, string remote, string banTime) =>
        log.Information("Firewall off: would ban {RemoteIP} for {BanTime}", remote, banTime);

    public static void WouldUnban(ILogger log, string remote) =>
        log.Information("Firewall off: would unban {RemoteIP}", remote);

    public static void MonitorFailed(ILogger log, string error, double delaySeconds) =>
        log.Warning("Following nft monitor failed ({Error}); a removed table is noticed at the next batch or reconcile meanwhile; following again in {DelaySeconds}s", error, delaySeconds);
}
