using System.Net;

namespace Tarpit.Tarpits.Engine;

/// <summary>One held connection as <c>tarpit-agent sessions</c> shows it, copied on the scheduler thread.</summary>
/// <param name="FirstBytes">What the client sent first, already escaped (null before it sent anything).</param>
/// <param name="OriginalPort">SO_ORIGINAL_DST's port: another port than <paramref name="LocalPort"/> when it came through an nft redirect.</param>
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
    string? FirstBytes)
{
    /// <summary>True when it came through an nft redirect, false when it connected to the tarpit directly.</summary>
    public bool Redirected => OriginalPort != LocalPort;
}
