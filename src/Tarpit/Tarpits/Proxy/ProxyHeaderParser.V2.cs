using System.Buffers.Binary;
using System.Net;
using Tarpit.Net;

namespace Tarpit.Tarpits.Proxy;

/// <summary>§2.2, the binary header: signature, version and command, family and transport, length, address block, TLVs.</summary>
internal static partial class ProxyHeaderParser
{
    /// <summary>§2.2: the high nibble of byte 13 is the version, 2.</summary>
    private const byte Version2 = 0x2;

    /// <summary>§2.2: command LOCAL (the proxy's own connection, e.g. a health check: use the real endpoints) and PROXY.</summary>
    private const byte CommandLocal = 0x0;
    private const byte CommandProxy = 0x1;

    /// <summary>§2.2: byte 14, address family (high nibble) and transport (low nibble): TCP over IPv4 and over IPv6.</summary>
    private const byte TcpOverIPv4 = 0x11;
    private const byte TcpOverIPv6 = 0x21;

    /// <summary>§2.2: the address block of TCP over IPv4 (two addresses, two ports) and over IPv6.</summary>
    private const int IPv4Block = 12;
    private const int IPv6Block = 36;

    private static ProxyHeaderStatus ReadV2(ReadOnlySpan<byte> received, out ProxyHeader header, out string? problem)
    {
        header = default;
        problem = null;
        if (received.Length < V2FixedLength)
        {
            return ProxyHeaderStatus.Incomplete;
        }

        var versionCommand = received[12];
        if (versionCommand >> 4 != Version2)
        {
            return Invalid("the PROXY v2 version is not 2", out problem);
        }

        var command = (byte)(versionCommand & 0x0F);
        if (command is not CommandLocal and not CommandProxy)
        {
            return Invalid("the PROXY v2 command is neither LOCAL nor PROXY", out problem);
        }

        var familyTransport = received[13];
        var length = V2FixedLength + BinaryPrimitives.ReadUInt16BigEndian(received[14..16]);
        if (length > MaxV2Length)
        {
            return Invalid($"the PROXY v2 header is {length} bytes long, at most {MaxV2Length} are taken", out problem);
        }

        var block = familyTransport switch
        {
            TcpOverIPv4 => IPv4Block,
            TcpOverIPv6 => IPv6Block,
            _ => 0,
        };
        if (command == CommandProxy && length - V2FixedLength < block)
        {
            return Invalid("the PROXY v2 address block is shorter than its address family needs", out problem);
        }

        if (received.Length < length)
        {
            return ProxyHeaderStatus.Incomplete;
        }

        if (command == CommandLocal || block == 0)
        {
            // §2.2: LOCAL (the proxy's own connection), and PROXY over an unspecified family, UNIX or UDP, name no TCP
            // client: the receiver uses the connection's real endpoints. TLVs are skipped.
            header = new ProxyHeader(length, 2, null, null);
            return ProxyHeaderStatus.Complete;
        }

        var addresses = received[V2FixedLength..];
        var size = block == IPv4Block ? 4 : 16;
        var source = Networks.Unmap(new IPAddress(addresses[..size]));
        var destination = Networks.Unmap(new IPAddress(addresses.Slice(size, size)));
        var sourcePort = BinaryPrimitives.ReadUInt16BigEndian(addresses.Slice(2 * size, 2));
        var destinationPort = BinaryPrimitives.ReadUInt16BigEndian(addresses.Slice((2 * size) + 2, 2));
        header = new ProxyHeader(length, 2, new IPEndPoint(source, sourcePort), new IPEndPoint(destination, destinationPort));
        return ProxyHeaderStatus.Complete;
    }
}
