using Serilog;

namespace Tarpit.Agent.Hosting;

/// <summary>The log lines of the daemon's host and its parts, each template written once (Kestrel's <c>SocketsLog</c>).</summary>
internal static class HostingLog
{
    /// <summary>Printed once everything listens; system tests and operators wait for it.</summary>
    public const string ReadyMessage = "Tarpit agent ready";

    public static void FirewallDisabled(ILogger log) =>
        log.Warning("Firewall is off (firewall.enabled = false): offenders are judged and logged as \"would ban\", never redirected");

    public static void FirewallUnavailable(ILogger log, string? reason) =>
        log.Warning("Firewall is off: {Reason}. The tarpits run, offenders are judged and logged as \"would ban\", nothing is redirected", reason);

    /// <summary>The first line of a live start: exactly what the table will do to a banned source.</summary>
    public static void Redirecting(ILogger log, string redirects) =>
        log.Information("Redirecting new connections from banned sources: {Redirects}", redirects);

    public static void TableStaysAfterExit(ILogger log, string table) =>
        log.Information(
            "The table inet {Table} stays after the agent exits (firewall.keep_on_exit = true), so bans keep redirecting; remove it with: nft delete table inet {Table}",
            table,
            table);

    public static void TableRemovedOnExit(ILogger log, string table) =>
        log.Information("The table inet {Table} is removed when the agent exits (firewall.keep_on_exit = false)", table);

    /// <summary><c>run --observe</c>: what a live start would redirect, and that it will not.</summary>
    public static void Observing(ILogger log, string redirects) =>
        log.Warning(
            "Observe only (run --observe): the firewall is never touched; a live start would redirect new connections from banned sources: {Redirects}. Offenders are judged, stored and logged as \"would ban\"; the tarpits hold direct connections",
            redirects);

    public static void StoreReadOnly(ILogger log, string reason) =>
        log.Warning(
            "The store is read-only, opened for reading only ({Reason}): bans are redirected in nft and held in memory, and stored once the mount or file is fixed (tried every few seconds)",
            reason);

    public static void Ready(ILogger log, int tarpitCount, int watchCount, string firewallState) =>
        log.Information(
            ReadyMessage + ": {TarpitCount} tarpit(s), {WatchCount} watch(es), firewall {FirewallState}",
            tarpitCount,
            watchCount,
            firewallState);

    public static void Stopped(ILogger log) =>
        log.Information("Tarpit agent stopped");

    public static void PartStopped(ILogger log, string part) =>
        log.Debug("The {Part} part stopped", part);

    public static void PartStoppedByOperatorError(ILogger log, string part, string message) =>
        log.Error("The {Part} part stopped: {Message}", part, message);

    public static void PartFailed(ILogger log, string part, string exceptionType) =>
        log.Error("The {Part} part failed ({ExceptionType}); stopping the others", part, exceptionType);

    public static void EventFileTightened(ILogger log, string change) =>
        log.Warning("Took group and other permissions away from {Path}: the event file is private to the agent", change);

    public static void StateDirTightened(ILogger log, string change) =>
        log.Warning("Took group and other permissions away from {Path}: the state dir is private to the agent", change);

    public static void ReloadRequested(ILogger log, string configFile) =>
        log.Information("SIGHUP: reading {ConfigFile} again", configFile);

    public static void Reloaded(ILogger log, string configFile, string changes) =>
        log.Information("Reloaded {ConfigFile}: {Changes}", configFile, changes);

    public static void ReloadUnchanged(ILogger log, string configFile) =>
        log.Information("Reload: {ConfigFile} unchanged, nothing to apply", configFile);

    /// <summary>One diagnostic of an invalid file, as at start: <c>tarpit.toml:12:9: error: …</c>.</summary>
    public static void ReloadDiagnostic(ILogger log, string diagnostic) =>
        log.Error("{Diagnostic}", diagnostic);

    public static void ReloadRefused(ILogger log, string configFile, string reason) =>
        log.Error("Reload of {ConfigFile} refused: {Reason}; the running configuration stays, nothing was changed", configFile, reason);

    public static void ReloadNeedsRestart(ILogger log, string setting, string configFile) =>
        log.Warning(
            "Reload: {Setting} in {ConfigFile} takes a restart (systemctl restart tarpit-agent); the running value stays until then",
            setting,
            configFile);

    public static void ReloadTableFailed(ILogger log, string table, string message) =>
        log.Error("Reload: the nft table {Table} could not be rendered again ({Message}); the new allowlist is in force for new bans, the kernel still has the old allow sets", table, message);

    public static void ReloadFailed(ILogger log, Exception ex) =>
        log.Error(ex, "Reload failed unexpectedly; the agent goes on, partly with the old configuration. Check the lines above and restart it if in doubt");
}
