using System.Net;

namespace Tarpit.Tarpits.Proxy;

/// <summary>
/// A PROXY protocol header read in full (HAProxy's proxy-protocol.txt). <see cref="Source"/> is the client the proxy
/// names; null for a LOCAL command (v2), <c>UNKNOWN</c> (v1), or an address family other than TCP over IPv4/IPv6: the
/// connection's own peer stays the client, as the spec says.
/// </summary>
/// <param name="Length">Bytes of the header, TLVs included: what is taken off the stream before the tarpit's protocol.</param>
/// <param name="Version">1 (text) or 2 (binary).</param>
/// <param name="Destination">The address the client connected to (its port is the original port); null when no client is named.</param>
internal readonly record struct ProxyHeader(int Length, int Version, IPEndPoint? Source, IPEndPoint? Destination);
