namespace Tarpit.Config;

/// <summary>The whole of <c>tarpit.toml</c>, validated. Paths are already absolute.</summary>
internal sealed record ConfigFile(
    string SourcePath,
    AgentConfig Agent,
    FirewallConfig Firewall,
    IReadOnlyList<TarpitConfig> Tarpits,
    IReadOnlyList<WatchConfig> Watches,
    GeoIpConfig GeoIp)
{
    /// <summary>Notes on the file (<c>file:line:col: note: …</c>): valid, but read differently from how it is written. Not part of equality.</summary>
    public IReadOnlyList<ConfigDiagnostic> Notes { get; init; } = [];

    /// <summary><c>[metrics]</c>; <see cref="MetricsConfig.Off"/> when the table is absent.</summary>
    public MetricsConfig Metrics { get; init; } = MetricsConfig.Off;

    /// <summary><c>[abuseipdb]</c>; <see cref="AbuseIpDbConfig.Off"/> when the table is absent.</summary>
    public AbuseIpDbConfig AbuseIpDb { get; init; } = AbuseIpDbConfig.Off;

    /// <summary><c>[crowdsec]</c>; null when the table is absent (no LAPI: nothing changes).</summary>
    public CrowdsecConfig? Crowdsec { get; init; }

    /// <summary>Value equality, lists compared item by item (a record alone would compare list references).</summary>
    public bool Equals(ConfigFile? other) =>
        other is not null
        && SourcePath == other.SourcePath
        && Agent == other.Agent
        && Firewall == other.Firewall
        && Tarpits.SequenceEqual(other.Tarpits)
        && Watches.SequenceEqual(other.Watches)
        && GeoIp == other.GeoIp
        && Metrics == other.Metrics
        && AbuseIpDb == other.AbuseIpDb
        && Crowdsec == other.Crowdsec;

    public override int GetHashCode() => HashCode.Combine(SourcePath, Agent, Firewall, Tarpits.Count, Watches.Count, GeoIp);
}
