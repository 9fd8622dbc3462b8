using System.Net;
using Tarpit.Config;

namespace Tarpit.Tarpits.Engine;

/// <summary>
/// One running <c>[[tarpit]]</c>: its config, its mode, the client slots its accept loops wait on, and the per-address
/// counts the scheduler keeps.
/// </summary>
internal sealed class TarpitRuntime : IDisposable
{
    public TarpitRuntime(TarpitConfig config, ITarpitMode mode)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(mode);
        Config = config;
        Mode = mode;
        Protocol = ModeCatalog.Name(config.Protocol);
        MaxClients = config.MaxClients > 0 ? config.MaxClients : int.MaxValue;
        MaxClientsPerIp = config.MaxClientsPerIp > 0 ? config.MaxClientsPerIp : int.MaxValue;
        MaxClientsPerV6Prefix = config.MaxClientsPerV6Prefix > 0 ? config.MaxClientsPerV6Prefix : int.MaxValue;
        Slots = new SemaphoreSlim(MaxClients, MaxClients);
    }

    public TarpitConfig Config { get; }

    public ITarpitMode Mode { get; }

    public string Name => Config.Name;

    /// <summary>"ssh", "http" or "tls".</summary>
    public string Protocol { get; }

    /// <summary><c>max_clients</c>; 0 or less means no cap.</summary>
    public int MaxClients { get; }

    /// <summary><c>max_clients_per_ip</c>; 0 or less means no cap.</summary>
    public int MaxClientsPerIp { get; }

    /// <summary><c>max_clients_per_v6_64</c>; 0 or less means no cap.</summary>
    public int MaxClientsPerV6Prefix { get; }

    /// <summary>
    /// One per connection the tarpit may hold. An accept loop takes a slot before it accepts, so at the cap clients
    /// wait in the kernel backlog; the scheduler gives the slot back when the connection closes.
    /// </summary>
    public SemaphoreSlim Slots { get; }

    /// <summary>Held connections per client address. Scheduler thread only.</summary>
    public Dictionary<IPAddress, AddressCount> PerAddress { get; } = [];

    /// <summary>Held connections per IPv6 /64 (its upper 64 bits). Scheduler thread only.</summary>
    public Dictionary<ulong, int> PerV6Prefix { get; } = [];

    /// <summary>True when <paramref name="address"/> is inside the tarpit's <c>trusted_proxies</c>.</summary>
    public bool IsTrustedProxy(IPAddress address)
    {
        foreach (var network in Config.TrustedProxies)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose() => Slots.Dispose();
}
