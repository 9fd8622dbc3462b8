using System.Net;
using Tarpit.Tarpits.Events;

namespace Tarpit.Tarpits;

/// <summary>What a mode learns about a connection when it opens a session for it.</summary>
/// <param name="ConnectionId">The engine's id, also on every <see cref="ConnectionEvent"/> of the connection.</param>
/// <param name="Remote">The client; a v4-mapped address on a dual-stack listener is already plain IPv4.</param>
/// <param name="OriginalPort">The port the client meant to reach (SO_ORIGINAL_DST), or the local port when direct.</param>
internal readonly record struct SessionOpen(long ConnectionId, IPEndPoint Remote, int? OriginalPort);
