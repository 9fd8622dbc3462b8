using System.Net;
using System.Net.Sockets;

namespace Tarpit.Net;

/// <summary>
/// Arithmetic on addresses and networks, in one place: unmapping, prefix lengths, masks, last addresses, overlaps.
/// IPv4-mapped IPv6 (<c>::ffff:a.b.c.d</c>, RFC 4291 §2.5.5.2) is IPv4 to every caller: no IPv4 packet, ban or
/// allowlist entry is ever held as IPv6.
/// </summary>
internal static class Networks
{
    /// <summary>The prefix length of one IPv4 address (RFC 791 §3.2: 32 bits).</summary>
    public const int IPv4Bits = 32;

    /// <summary>The prefix length of one IPv6 address (RFC 4291 §2: 128 bits).</summary>
    public const int IPv6Bits = 128;

    /// <summary>The IPv4-mapped block <c>::ffff:0:0/96</c> (RFC 4291 §2.5.5.2): its last 32 bits are the IPv4 address.</summary>
    public const int MappedPrefixLength = IPv6Bits - IPv4Bits;

    /// <summary><c>::ffff:192.0.2.7</c> becomes <c>192.0.2.7</c>; any other address is returned as it is.</summary>
    public static IPAddress Unmap(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    /// <summary><c>::ffff:10.0.0.0/104</c> becomes <c>10.0.0.0/8</c> (a prefix of at least 96 inside the mapped block); any other network is returned as it is.</summary>
    public static IPNetwork Unmap(IPNetwork network) =>
        network.BaseAddress.IsIPv4MappedToIPv6 && network.PrefixLength >= MappedPrefixLength
            ? new IPNetwork(network.BaseAddress.MapToIPv4(), network.PrefixLength - MappedPrefixLength)
            : network;

    /// <summary>32 for IPv4, 128 for IPv6: the prefix length of a single address.</summary>
    public static int FullPrefixLength(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => IPv4Bits,
        AddressFamily.InterNetworkV6 => IPv6Bits,
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "not an IP address family"),
    };

    /// <summary>32 for an IPv4 address, 128 for IPv6 (mapped IPv6 included: unmap first for its IPv4 length).</summary>
    public static int FullPrefixLength(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return FullPrefixLength(address.AddressFamily);
    }

    /// <summary>True for a single-address network: a /32 or a /128.</summary>
    public static bool IsHost(IPNetwork network) =>
        network.PrefixLength == FullPrefixLength(network.BaseAddress);

    /// <summary>The single-address network (/32 or /128) of <paramref name="address"/>; mapped IPv6 becomes an IPv4 /32.</summary>
    public static IPNetwork Host(IPAddress address)
    {
        var plain = Unmap(address);
        return new IPNetwork(plain, FullPrefixLength(plain));
    }

    /// <summary><paramref name="address"/> with every bit below <paramref name="prefix"/> cleared: the base of its network.</summary>
    public static IPAddress Mask(IPAddress address, int prefix)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfNegative(prefix);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefix, FullPrefixLength(address));
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }

    /// <summary>The /<paramref name="prefix"/> network that holds <paramref name="address"/>.</summary>
    public static IPNetwork Containing(IPAddress address, int prefix) => new(Mask(address, prefix), prefix);

    /// <summary>The last address of <paramref name="network"/>: every bit below the prefix set.</summary>
    public static IPAddress LastAddress(IPNetwork network)
    {
        var bytes = network.BaseAddress.GetAddressBytes();
        for (var bit = network.PrefixLength; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] |= (byte)(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }

    /// <summary>The address right after <paramref name="address"/>, or null after the last one of its family.</summary>
    public static IPAddress? After(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = address.GetAddressBytes();
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (++bytes[i] != 0)
            {
                return new IPAddress(bytes);
            }
        }

        return null;
    }

    /// <summary>True when the two networks share an address (one holds the other): same family, and either base is in the other.</summary>
    public static bool Overlap(IPNetwork a, IPNetwork b) =>
        a.BaseAddress.AddressFamily == b.BaseAddress.AddressFamily
        && (a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress));

    /// <summary>True when every address of <paramref name="inner"/> is in <paramref name="outer"/> (a network contains itself).</summary>
    public static bool Contains(IPNetwork outer, IPNetwork inner) =>
        outer.BaseAddress.AddressFamily == inner.BaseAddress.AddressFamily
        && outer.PrefixLength <= inner.PrefixLength
        && outer.Contains(inner.BaseAddress);
}
