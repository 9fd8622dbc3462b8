using System.Net;

namespace Tarpit.Tarpits.Engine;

/// <summary>
/// What only some held connections have, out of <see cref="HeldConnection"/> so that the others do not pay a field
/// for each: a scanner that never sends a byte, the common case, has none of it.
/// </summary>
internal sealed class HeldConnectionExtras
{
    /// <summary>The socket's peer when it is one of the tarpit's trusted proxies.</summary>
    public IPEndPoint? Proxy { get; init; }

    /// <summary>
    /// What the client sent first, as sent, as far as it decides the escaped text (<see cref="Text.AttackerText.DecidingLength"/>:
    /// at most <see cref="TarpitScheduler.MaxFirstBytesLength"/> + 1 bytes, 65 of a binary ClientHello); escaped when
    /// an event or a snapshot reads it, so a held client keeps a request's bytes, not twice as many UTF-16 chars.
    /// </summary>
    public byte[]? FirstBytes { get; set; }

    /// <summary>What the session summarized for the Closed event (<see cref="SessionContext.Summarize"/>); bounded by <see cref="TarpitScheduler.MaxDetails"/>.</summary>
    public Dictionary<string, string>? Summary { get; set; }
}
