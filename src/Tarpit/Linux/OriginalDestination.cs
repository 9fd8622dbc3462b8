using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Tarpit.Net;

namespace Tarpit.Linux;

/// <summary>
/// The port a redirected client meant to reach, from netfilter's conntrack entry: getsockopt SO_ORIGINAL_DST.
/// </summary>
internal static class OriginalDestination
{
    // <linux/in.h> and <linux/in6.h>.
    private const int SolIp = 0;
    private const int SolIpv6 = 41;

    // <linux/netfilter_ipv4.h> SO_ORIGINAL_DST and <linux/netfilter_ipv6/ip6_tables.h> IP6T_SO_ORIGINAL_DST.
    private const int SoOriginalDst = 80;

    // <linux/socket.h>: sa_family_t in host byte order.
    private const ushort AfInet = 2;
    private const ushort AfInet6 = 10;

    // sizeof(struct sockaddr_in6), the larger of the two answers.
    private const int SockaddrIn6Length = 28;

    /// <summary>
    /// The original destination port of an accepted connection, or <paramref name="localPort"/> when it was not
    /// redirected (no conntrack entry, no NAT) or the lookup failed. A v4-mapped client on a dual-stack socket is an
    /// IPv4 connection to netfilter, so it is asked at the IPv4 level.
    /// </summary>
    public static int PortOf(int socket, IPAddress remote, int localPort)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (!OperatingSystem.IsLinux())
        {
            return localPort;
        }

        var ipv4 = Networks.Unmap(remote).AddressFamily == AddressFamily.InterNetwork;
        Span<byte> sockaddr = stackalloc byte[SockaddrIn6Length];
        var length = (uint)sockaddr.Length;
        return Libc.GetSocketOption(socket, ipv4 ? SolIp : SolIpv6, SoOriginalDst, sockaddr, ref length) == 0
            ? ParsePort(sockaddr[..(int)Math.Min(length, (uint)sockaddr.Length)]) ?? localPort
            : localPort;
    }

    /// <summary>The big-endian port of a sockaddr_in or sockaddr_in6, or null when it is neither.</summary>
    public static int? ParsePort(ReadOnlySpan<byte> sockaddr)
    {
        if (sockaddr.Length < 4)
        {
            return null;
        }

        var family = BitConverter.IsLittleEndian
            ? BinaryPrimitives.ReadUInt16LittleEndian(sockaddr)
            : BinaryPrimitives.ReadUInt16BigEndian(sockaddr);
        var port = BinaryPrimitives.ReadUInt16BigEndian(sockaddr[2..]);
        return family is AfInet or AfInet6 && port != 0 ? port : null;
    }
}
