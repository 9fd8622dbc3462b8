namespace Tarpit.Tarpits;

/// <summary>
/// The forwarding fields of a request head, raw (not escaped: the engine parses them, and escapes what it logs), each
/// field's lines joined with ", " (RFC 9110 §5.3) and cut at <see cref="MaxFieldLength"/> + 1 characters, so a longer
/// field is seen as too long. Null members were absent. The engine trusts them only from a trusted proxy.
/// </summary>
/// <param name="TargetPort"><c>X-Tarpit-Target-Port</c>: the port the client asked the proxy for.</param>
internal sealed record ForwardingFields(string? Forwarded, string? XForwardedFor, string? XRealIp, string? TargetPort)
{
    /// <summary>
    /// Characters of one forwarding field kept (our bound, also the parser's, <c>Tarpits/Proxy/ForwardedClient</c>):
    /// 16 hops of a full IPv6 address with a port, quotes and <c>for=</c>, about 60 characters each.
    /// </summary>
    public const int MaxFieldLength = 1024;

    /// <summary>True when no field was present.</summary>
    public bool IsEmpty => Forwarded is null && XForwardedFor is null && XRealIp is null && TargetPort is null;
}
