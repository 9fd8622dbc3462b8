using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Tarpit.Detection.Filters;

/// <summary>Turns the address text a log line carries into an <see cref="IPAddress"/> that can be banned.</summary>
internal static class AddressText
{
    /// <summary>The longest textual IPv6 address (45 characters, RFC 4291 §2.2 form 3) plus a <c>%zone</c>.</summary>
    public const int MaxLength = 45 + 16;

    /// <summary>
    /// Parses an IPv4 or IPv6 address (never a host name), drops any zone, and maps v4-mapped v6
    /// (<c>::ffff:192.0.2.1</c>) to IPv4 so both spellings count against the same address.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        // IPAddress.TryParse also takes legacy shorthand ("10.1" = 10.0.0.1, "167772161"): logs never write those.
        var isV6 = text.Contains(':');
        if (text.IsEmpty || text.Length > MaxLength || (!isV6 && text.Count('.') != 3) || !IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }

        if (parsed.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (parsed.IsIPv4MappedToIPv6)
            {
                parsed = parsed.MapToIPv4();
            }
            else if (parsed.ScopeId != 0)
            {
                parsed = new IPAddress(parsed.GetAddressBytes());
            }
        }

        address = parsed;
        return true;
    }

    /// <summary>The single-address network a ban request targets.</summary>
    public static IPNetwork HostNetwork(IPAddress address) =>
        new(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
}
