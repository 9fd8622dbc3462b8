using Serilog;

namespace Tarpit.Crowdsec;

/// <summary>The log lines of the LAPI client, each template written once. Nothing here ever carries a key or password.</summary>
internal static class CrowdsecLog
{
    public static void BouncerStarted(ILogger log, string lapi, string pullInterval) =>
        log.Information("CrowdSec bouncer: pulling decisions from {Lapi} every {PullInterval}", lapi, pullInterval);

    /// <summary>What <see cref="Pulled"/> calls a pull: its <c>startup=true</c> kinds and the changes.</summary>
    public enum PullKind
    {
        Startup,
        Resync,
        Changes,
    }

    public static void Pulled(ILogger log, PullKind kind, int redirected, int unchanged, int lifted, int allowlisted, int filtered, int otherScope, int invalid) =>
        log.Information(
            "CrowdSec {Pull}: {Redirected} decisions redirected ({Unchanged} of them in force already, not written again), {Lifted} lifted, {Allowlisted} allowlisted here, {Filtered} filtered out, {OtherScope} of another scope, {Invalid} invalid",
            kind switch { PullKind.Startup => "startup snapshot", PullKind.Resync => "resync snapshot", _ => "pull" },
            redirected,
            unchanged,
            lifted,
            allowlisted,
            filtered,
            otherScope,
            invalid);

    public static void Decision(ILogger log, string remote, string origin, string scenario, string remaining) =>
        log.Debug("CrowdSec decision: {RemoteIP} from {Origin} ({Scenario}) for {Remaining}", remote, origin, scenario, remaining);

    public static void Truncated(ILogger log, int max) =>
        log.Warning("CrowdSec: the LAPI sent more than {Max} decisions in one answer; the rest were dropped", max);

    public static void Unreachable(ILogger log, string reason, string retry) =>
        log.Warning("CrowdSec LAPI unavailable: {Reason}; redirects kept, retrying (every {Retry} at most)", reason, retry);

    public static void Back(ILogger log, string downFor) =>
        log.Information("CrowdSec LAPI reachable again after {DownFor}; catching up", downFor);

    public static void ApplyFailed(ILogger log, string reason) =>
        log.Warning("CrowdSec: the decisions of a pull could not be stored ({Reason}); asking again from the start", reason);

    public static void PusherStarted(ILogger log, string lapi, string machine) =>
        log.Information("CrowdSec watcher: pushing this host's bans to {Lapi} as machine {Machine}", lapi, machine);

    public static void Pushed(ILogger log, int count) =>
        log.Debug("CrowdSec: pushed {Count} alerts", count);

    public static void PushFailed(ILogger log, string reason) =>
        log.Warning("CrowdSec: alerts not pushed ({Reason}); kept and retried", reason);

    public static void PushBack(ILogger log) =>
        log.Information("CrowdSec: alerts pushed again");
}
