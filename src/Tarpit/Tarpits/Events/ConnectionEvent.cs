using System.Net;

namespace Tarpit.Tarpits.Events;

/// <summary>
/// Something that happened to one tarpit connection. The engine publishes these; logging, detection and the store
/// consume them. Every string that came from the client is already escaped and truncated.
/// </summary>
/// <param name="OriginalPort">The port the client meant to reach (SO_ORIGINAL_DST); equal to LocalPort for a direct connection, null when unknown.</param>
/// <param name="FirstBytes">What the client sent first, escaped (null before it sent anything).</param>
/// <param name="Details">Protocol findings: HTTP method/path/host/user agent, TLS SNI/ALPN, offered credentials.</param>
internal sealed record ConnectionEvent(
    ConnectionEventKind Kind,
    long ConnectionId,
    DateTimeOffset Timestamp,
    string Tarpit,
    string Protocol,
    string Mode,
    IPEndPoint Remote,
    int LocalPort,
    int? OriginalPort,
    bool Decoy,
    bool Verified,
    string? FirstBytes,
    long BytesSent,
    TimeSpan Duration,
    IReadOnlyDictionary<string, string>? Details = null)
{
    /// <summary>
    /// The trusted proxy the connection came from (the socket's peer) when its peer is in the tarpit's
    /// <c>trusted_proxies</c>; null for a direct client. <see cref="Remote"/> is the client it named, or the proxy itself
    /// when it named none (<see cref="IsProxyItself"/>).
    /// </summary>
    public IPEndPoint? Proxy { get; init; }

    /// <summary>
    /// For an <see cref="ConnectionEventKind.Observed"/> event: the Details key the session published (e.g. a capture,
    /// <c>Tarpits/CaptureKeys</c>); null for the other kinds.
    /// </summary>
    public string? ObservedKey { get; init; }

    /// <summary>The published value of <see cref="ObservedKey"/>, or null.</summary>
    public string? ObservedValue => ObservedKey is { } key && Details is { } details && details.TryGetValue(key, out var value) ? value : null;

    /// <summary>The connection is charged to the trusted proxy itself (it named no client): never a ban signal.</summary>
    public bool IsProxyItself => Proxy is { } proxy && proxy.Address.Equals(Remote.Address);

    /// <summary>
    /// True when the client came through an nft redirect rather than connecting to the tarpit's own port. A proxied
    /// connection never did (a banned client's packets are redirected before they reach the proxy): its original port
    /// is the one the proxy reported.
    /// </summary>
    public bool Redirected => Proxy is null && OriginalPort is { } port && port != LocalPort;
}
