using System.Net;

namespace Tarpit.Config;

/// <summary>One <c>[[tarpit]]</c> table.</summary>
/// <param name="Mode">Protocol-specific mode (ssh: endless-banner | kex-hold; http: endless-header | drip | gzip-bomb | deflate-bomb | fake-auth; tls: endless-hello-request | slow-hello).</param>
/// <param name="Banner">ssh: the identification string shown (e.g. <c>SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10</c>); http: the <c>Server</c> header; tls: unused.</param>
/// <param name="Interval">Mean time between drips.</param>
/// <param name="Jitter">Each wait is drawn uniformly from <c>Interval × [1 − Jitter, 1 + Jitter]</c>; 0 ≤ jitter &lt; 1.</param>
/// <param name="DripBytes">Bytes sent per drip where the mode sends a byte stream (kex-hold, drip, bombs, slow-hello).</param>
/// <param name="MaxHold">A connection is closed after this long, whatever the client does.</param>
/// <param name="Http">Present for <c>protocol = "http"</c>.</param>
internal sealed record TarpitConfig(
    string Name,
    TarpitProtocol Protocol,
    string Mode,
    IReadOnlyList<IPEndPoint> Listen,
    IReadOnlyList<int> RedirectPorts,
    bool Decoy,
    bool VerifyClient,
    TimeSpan ProbeDelay,
    string? Banner,
    TimeSpan Interval,
    double Jitter,
    int DripBytes,
    TimeSpan MaxHold,
    int MaxClients,
    int MaxClientsPerIp,
    HttpTarpitOptions? Http)
{
    /// <summary>Value equality, <see cref="Listen"/> and <see cref="RedirectPorts"/> compared item by item.</summary>
    public bool Equals(TarpitConfig? other) =>
        other is not null
        && Name == other.Name
        && Protocol == other.Protocol
        && Mode == other.Mode
        && Listen.SequenceEqual(other.Listen)
        && RedirectPorts.SequenceEqual(other.RedirectPorts)
        && Decoy == other.Decoy
        && VerifyClient == other.VerifyClient
        && ProbeDelay == other.ProbeDelay
        && Banner == other.Banner
        && Interval == other.Interval
        && Jitter.Equals(other.Jitter)
        && DripBytes == other.DripBytes
        && MaxHold == other.MaxHold
        && MaxClients == other.MaxClients
        && MaxClientsPerIp == other.MaxClientsPerIp
        && MaxClientsPerV6Prefix == other.MaxClientsPerV6Prefix
        && TrustedProxies.SequenceEqual(other.TrustedProxies)
        && ProxyProtocol == other.ProxyProtocol
        && SshHostKeys == other.SshHostKeys
        && Http == other.Http;

    /// <summary><c>max_clients_per_v6_64</c>: connections held at once from one IPv6 /64; 0 (a config built in code) means no cap.</summary>
    public int MaxClientsPerV6Prefix { get; init; }

    /// <summary>
    /// <c>trusted_proxies</c>: the peers that may name the client of their connection (HTTP forwarding headers, and the
    /// PROXY protocol when <see cref="ProxyProtocol"/>); empty (the default) trusts nobody.
    /// </summary>
    public IReadOnlyList<IPNetwork> TrustedProxies { get; init; } = [];

    /// <summary><c>proxy_protocol</c>: a connection from a trusted proxy starts with a PROXY protocol v1 or v2 header.</summary>
    public bool ProxyProtocol { get; init; }

    /// <summary>
    /// ssh: <c>host_keys</c> and <c>host_key_dir</c>, as read from the file; null (a config built in code) shows keys
    /// made for this process only.
    /// </summary>
    public SshHostKeysConfig? SshHostKeys { get; init; }

    /// <summary>
    /// ssh: the public host key blobs (RFC 4253 §6.6) shown, by algorithm, resolved at start from
    /// <see cref="SshHostKeys"/> (the real sshd's files, else the agent's own in the state dir); null when not resolved.
    /// Not from the file, so not part of equality.
    /// </summary>
    public IReadOnlyDictionary<string, byte[]>? SshHostKeyBlobs { get; init; }

    /// <summary>
    /// ssh with <c>banner = "auto"</c>: the ten SERVER KEXINIT name-lists (RFC 4253 §7.1) of the real sshd, read at start
    /// with the banner; null means the built-in Debian 12 profile. Not from the file, so not part of equality.
    /// </summary>
    public IReadOnlyList<string>? SshKexInitNameLists { get; init; }

    public override int GetHashCode() => HashCode.Combine(Name, Protocol, Mode, Listen.Count, RedirectPorts.Count, ProbeDelay, Interval, Http);
}
