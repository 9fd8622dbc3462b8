using System.Net;
using Tarpit.Net;

namespace Tarpit.Tarpits.Proxy;

/// <summary>
/// Which client a trusted HTTP proxy names, from its forwarding fields, in this order: <c>Forwarded: for=</c> (RFC 7239,
/// the standard, structured form: IPv6 and ports are unambiguous there), then <c>X-Forwarded-For</c> (the de facto
/// list), then <c>X-Real-IP</c> (one address, nginx's convention). The first field that names an address wins; one
/// that is absent, malformed, or names <c>unknown</c> or an obfuscated identifier (RFC 7239 §6.2, §6.3) gives way to the
/// next. In a list (several proxies), the client is the rightmost hop that is not itself a trusted proxy: everything
/// left of it was written by that client, so it is never believed. Called only for a connection from a trusted proxy.
/// </summary>
internal static partial class ForwardedClient
{
    /// <summary>
    /// Hops looked at in one field, from the right (our bound): a chain of trusted proxies is a few hops; a list longer
    /// than this names no client.
    /// </summary>
    public const int MaxHops = 16;

    /// <summary>
    /// Bytes of one forwarding field kept and parsed, its lines joined (our bound): 16 hops of a full IPv6 address with
    /// a port, quotes and <c>for=</c> (about 60 bytes each). A longer field is ignored as malformed.
    /// </summary>
    public const int MaxFieldLength = 1024;

    /// <summary>What the fields name: the client, which field named it, and the fields found malformed (our words).</summary>
    public readonly record struct Outcome(IPAddress? Client, string? Field, string? Problem);

    public static Outcome Resolve(string? forwarded, string? xForwardedFor, string? xRealIp, Func<IPAddress, bool> isTrusted)
    {
        ArgumentNullException.ThrowIfNull(isTrusted);
        string? problem = null;
        if (forwarded is not null)
        {
            if (TryForwarded(forwarded, isTrusted, out var client, out var why))
            {
                return new Outcome(client, "Forwarded", null);
            }

            problem = why is null ? null : "Forwarded: " + why;
        }

        if (xForwardedFor is not null)
        {
            if (TryForwardedFor(xForwardedFor, isTrusted, out var client, out var why))
            {
                return new Outcome(client, "X-Forwarded-For", problem);
            }

            problem = Join(problem, why is null ? null : "X-Forwarded-For: " + why);
        }

        if (xRealIp is not null)
        {
            if (TryAddress(xRealIp.AsSpan().Trim(" \t"), out var client))
            {
                return new Outcome(client, "X-Real-IP", problem);
            }

            problem = Join(problem, "X-Real-IP: not one IP address");
        }

        return new Outcome(null, null, problem);
    }

    /// <summary>X-Tarpit-Target-Port: the port the client asked the proxy for, 1-65535 in decimal without leading zeros.</summary>
    public static bool TryTargetPort(string? text, out int port)
    {
        port = 0;
        var value = text.AsSpan().Trim(" \t");
        if (value.IsEmpty || value.Length > 5 || value[0] == '0')
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            port = (port * 10) + (c - '0');
        }

        return port <= IPEndPoint.MaxPort;
    }

    /// <summary>X-Forwarded-For: comma-separated addresses, the proxy closest to us last (its lines already joined).</summary>
    private static bool TryForwardedFor(string value, Func<IPAddress, bool> isTrusted, out IPAddress? client, out string? problem)
    {
        client = null;
        problem = null;
        if (value.Length > MaxFieldLength)
        {
            problem = $"longer than {MaxFieldLength} bytes";
            return false;
        }

        var hops = 0;
        var rest = value.AsSpan();
        while (true)
        {
            var comma = rest.LastIndexOf(',');
            var hop = rest[(comma + 1)..].Trim(" \t");
            if (++hops > MaxHops)
            {
                problem = $"more than {MaxHops} hops";
                return false;
            }

            if (!TryAddress(hop, out var address))
            {
                problem = "a hop is not an IP address";
                return false;
            }

            if (!isTrusted(address!) || comma < 0)
            {
                // The rightmost untrusted hop; or every hop is a trusted proxy, and the leftmost is then the client.
                client = address;
                return true;
            }

            rest = rest[..comma];
        }
    }

    private static bool TryAddress(ReadOnlySpan<char> text, out IPAddress? address)
    {
        address = null;
        if (AddressSyntax.Read(text, out var read) != AddressProblem.None)
        {
            return false;
        }

        address = Networks.Unmap(read!);
        return true;
    }

    private static string? Join(string? a, string? b) => a is null ? b : b is null ? a : a + "; " + b;
}
