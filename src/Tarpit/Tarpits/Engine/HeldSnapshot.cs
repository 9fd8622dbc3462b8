using System.Net;

namespace Tarpit.Tarpits.Engine;

/// <summary>One held connection as <c>tarpit-agent sessions</c> shows it, copied on the scheduler thread.</summary>
/// <param name="FirstBytes">What the client sent first, already escaped (null before it sent anything).</param>
/// <param name="OriginalPort">SO_ORIGINAL_DST's port (another port than <paramref name="LocalPort"/> when it came through an nft redirect), or the port a trusted proxy says its client asked for.</param>
/// <param name="Proxy">The trusted proxy the connection came from (the socket's peer); null for a direct or redirected client.</param>
internal sealed record HeldSnapshot(
    long ConnectionId,
    string Tarpit,
    string Protocol,
    string Mode,
    IPEndPoint Remote,
    int LocalPort,
    int OriginalPort,
    DateTimeOffset Since,
    long BytesSent,
    bool Verified,
    string? FirstBytes,
    IPEndPoint? Proxy = null)
{
    /// <summary>
    /// True when it came through an nft redirect, false when it connected to the tarpit directly or through a trusted
    /// proxy (whose reported port is not a redirect: a banned client's packets are redirected before the proxy).
    /// </summary>
    public bool Redirected => Proxy is null && OriginalPort != LocalPort;
}
