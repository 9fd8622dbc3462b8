using System.Net;
using Tarpit.Config;
using Tarpit.Tarpits;
using Tarpit.Tarpits.Engine;

namespace Tarpit.Tests.Tarpits;

/// <summary>Configs for engine tests: loopback, port 0 (the OS picks), generous limits unless a test narrows them.</summary>
internal static class TarpitConfigs
{
    public static TarpitConfig Listener(
        string name = "test",
        IReadOnlyList<IPEndPoint>? listen = null,
        TimeSpan? maxHold = null,
        int maxClients = 4096,
        int maxClientsPerIp = 4096) => new(
            name,
            TarpitProtocol.Ssh,
            "test",
            listen ?? [new IPEndPoint(IPAddress.Loopback, 0)],
            [],
            Decoy: false,
            VerifyClient: true,
            ProbeDelay: TimeSpan.FromSeconds(1),
            Banner: null,
            Interval: TimeSpan.FromSeconds(10),
            Jitter: 0,
            DripBytes: 1,
            MaxHold: maxHold ?? TimeSpan.FromHours(1),
            MaxClients: maxClients,
            MaxClientsPerIp: maxClientsPerIp,
            Http: null);

    public static ConfigFile Config(params TarpitConfig[] tarpits) => new(
        "tarpit.toml",
        AgentConfig.Defaults(Path.GetTempPath()),
        FirewallConfig.Defaults,
        tarpits,
        [],
        GeoIpConfig.Off);

    public static TarpitRuntime Runtime(ITarpitMode mode, TarpitConfig? config = null) => new(config ?? Listener(), mode);
}
