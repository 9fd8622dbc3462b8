using System.Net;
using Tarpit.Net;

namespace Tarpit.Geo;

/// <summary>
/// Addresses no GeoIP database can place: private, loopback, link-local, multicast and other special-purpose
/// blocks from the IANA registries (RFC 6890). They are answered with "nothing known" without touching a database.
/// The documentation blocks (RFC 5737: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24; RFC 3849: 2001:db8::/32) are
/// deliberately looked up: the test networks use them, and a real database simply has no entry for them.
/// </summary>
internal static class ReservedAddresses
{
    private static readonly IPNetwork[] Reserved =
    [
        // RFC 6890 §2.2.2, IPv4 special-purpose address registry.
        NetworkText.Parse("0.0.0.0/8"),        // "this network" (RFC 1122 §3.2.1.3)
        NetworkText.Parse("10.0.0.0/8"),       // private-use (RFC 1918)
        NetworkText.Parse("100.64.0.0/10"),    // shared address space, carrier-grade NAT (RFC 6598)
        NetworkText.Parse("127.0.0.0/8"),      // loopback (RFC 1122 §3.2.1.3)
        NetworkText.Parse("169.254.0.0/16"),   // link-local (RFC 3927)
        NetworkText.Parse("172.16.0.0/12"),    // private-use (RFC 1918)
        NetworkText.Parse("192.0.0.0/24"),     // IETF protocol assignments (RFC 6890 §2.1)
        NetworkText.Parse("192.168.0.0/16"),   // private-use (RFC 1918)
        NetworkText.Parse("198.18.0.0/15"),    // benchmarking (RFC 2544)
        NetworkText.Parse("224.0.0.0/4"),      // multicast (RFC 5771)
        NetworkText.Parse("240.0.0.0/4"),      // reserved, including limited broadcast (RFC 1112 §4, RFC 919 §7)

        // RFC 6890 §2.2.3, IPv6 special-purpose address registry.
        NetworkText.Parse("::/128"),           // unspecified (RFC 4291 §2.5.2)
        NetworkText.Parse("::1/128"),          // loopback (RFC 4291 §2.5.3)
        NetworkText.Parse("100::/64"),         // discard-only (RFC 6666)
        NetworkText.Parse("fc00::/7"),         // unique local (RFC 4193)
        NetworkText.Parse("fe80::/10"),        // link-local unicast (RFC 4291 §2.5.6)
        NetworkText.Parse("ff00::/8"),         // multicast (RFC 4291 §2.7)
    ];

    /// <summary>True when <paramref name="address"/> (IPv4-mapped IPv6 is treated as IPv4) is in a special-purpose block.</summary>
    public static bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var normalized = Networks.Unmap(address);
        foreach (var network in Reserved)
        {
            if (network.Contains(normalized))
            {
                return true;
            }
        }

        return false;
    }
}
