using Tarpit.Detection;

namespace Tarpit.Agent.Control;

/// <summary>What the daemon says about itself for <c>tarpit-agent status</c>.</summary>
/// <param name="Problems">Why it is degraded, one sentence each; empty when healthy.</param>
internal sealed record StatusReport(
    string Version,
    int ProcessId,
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    string ConfigFile,
    FirewallReport Firewall,
    IReadOnlyList<WatchStatus> Watches,
    GeoReport Geo,
    StoreReport Store,
    int HeldNow,
    IReadOnlyList<string> Problems)
{
    /// <summary>AbuseIPDB reporting; null when <c>[abuseipdb]</c> is absent.</summary>
    public ReportingReport? Reporting { get; init; }
}
