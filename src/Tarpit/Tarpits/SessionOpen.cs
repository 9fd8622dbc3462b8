using System.Net;
using Tarpit.Tarpits.Events;

namespace Tarpit.Tarpits;

/// <summary>
/// What a mode learns about a connection when it opens a session for it. The client is an address and a port, not an
/// <see cref="IPEndPoint"/>: the address is the one its connections share, and no mode needs an endpoint object, so
/// opening a session allocates none (<see cref="Remote"/> makes one on demand).
/// </summary>
/// <param name="ConnectionId">The engine's id, also on every <see cref="ConnectionEvent"/> of the connection.</param>
/// <param name="RemoteAddress">The client; a v4-mapped address on a dual-stack listener is already plain IPv4.</param>
/// <param name="RemotePort">The client's port.</param>
/// <param name="OriginalPort">The port the client meant to reach (SO_ORIGINAL_DST), or the local port when direct.</param>
internal readonly record struct SessionOpen(long ConnectionId, IPAddress RemoteAddress, int RemotePort, int? OriginalPort)
{
    public SessionOpen(long connectionId, IPEndPoint remote, int? originalPort)
        : this(connectionId, remote?.Address ?? throw new ArgumentNullException(nameof(remote)), remote.Port, originalPort)
    {
    }

    /// <summary>The client as an endpoint (a new one per call).</summary>
    public IPEndPoint Remote => new(RemoteAddress, RemotePort);
}
