namespace Tarpit.Config;

/// <summary>The whole of <c>tarpit.toml</c>, validated. Paths are already absolute.</summary>
internal sealed record TarpitConfig(
    string SourcePath,
    AgentConfig Agent,
    FirewallConfig Firewall,
    IReadOnlyList<TarpitListenerConfig> Tarpits,
    IReadOnlyList<WatchConfig> Watches,
    GeoIpConfig GeoIp);
