using System.Net;
using Tarpit.Config;

namespace Tarpit.Tests.Firewall;

/// <summary>Configs built in code for firewall, store and ban tests.</summary>
internal static class FirewallTestConfig
{
    public static FirewallConfig Firewall(params string[] allow) => FirewallConfig.Defaults with
    {
        Allow = allow.Length == 0 ? FirewallConfig.Defaults.Allow : [.. allow.Select(IPNetwork.Parse)],
    };

    public static TarpitConfig Tarpit(string name, int listenPort, params int[] redirectPorts) => new(
        name,
        TarpitProtocol.Ssh,
        "endless-banner",
        [new IPEndPoint(IPAddress.IPv6Any, listenPort)],
        redirectPorts,
        Decoy: false,
        VerifyClient: true,
        ProbeDelay: TimeSpan.FromSeconds(3),
        Banner: null,
        Interval: TimeSpan.FromSeconds(10),
        Jitter: 0.2,
        DripBytes: 1,
        MaxHold: TimeSpan.FromHours(6),
        MaxClients: 4096,
        MaxClientsPerIp: 16,
        Http: null);
}
