using System.Net;

namespace Tarpit.Tarpits.Engine;

/// <summary>
/// A connection an accept loop hands to the scheduler, with what was learned about it at accept. A value, not an
/// object: it lives in the scheduler's incoming queue until admitted, and an accept should leave no garbage of its own.
/// </summary>
/// <param name="Descriptor">The connection's raw socket descriptor (<see cref="Linux.SocketDescriptor"/>), owned from here on by the scheduler.</param>
/// <param name="Remote">The client; v4-mapped addresses are already plain IPv4.</param>
/// <param name="OriginalPort">SO_ORIGINAL_DST's port, or <paramref name="LocalPort"/> when not redirected.</param>
/// <param name="ViaTrustedProxy">The peer is inside the tarpit's <c>trusted_proxies</c>: it may name the client.</param>
internal readonly record struct AcceptedConnection(int Descriptor, TarpitRuntime Tarpit, IPEndPoint Remote, int LocalPort, int OriginalPort, bool ViaTrustedProxy = false);
