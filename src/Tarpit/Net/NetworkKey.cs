using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Tarpit.Net;

/// <summary>
/// A network as numbers, for the sets and maps that hold one entry per ban (100,000 in a CrowdSec startup snapshot):
/// the address bits masked to the prefix (<see cref="High"/>, <see cref="Low"/>: IPv4 in the low 32 bits), the prefix
/// length and the family, 24 bytes inline. An <see cref="IPNetwork"/> key holds a reference to an
/// <see cref="IPAddress"/> object besides (~40 bytes more per entry, kept alive as long as the entry).
/// </summary>
internal readonly record struct NetworkKey(ulong High, ulong Low, byte Prefix, bool V6)
{
    /// <summary>The family's address width in bits: 32 or 128.</summary>
    public int Width => V6 ? 128 : 32;

    public static NetworkKey Of(IPNetwork network)
    {
        Span<byte> bytes = stackalloc byte[16];
        network.BaseAddress.TryWriteBytes(bytes, out var written);
        var v6 = network.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6;
        var bits = written == 4 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return Make(bits, network.PrefixLength, v6);
    }

    /// <summary>The network of <paramref name="prefix"/> bits (at most <see cref="Prefix"/>) around this one.</summary>
    public NetworkKey Widened(int prefix) => Make(new UInt128(High, Low), prefix, V6);

    private static NetworkKey Make(UInt128 bits, int prefix, bool v6)
    {
        var masked = Masked(bits, v6 ? 128 : 32, prefix);
        return new NetworkKey((ulong)(masked >> 64), (ulong)masked, (byte)prefix, v6);
    }

    private static UInt128 Masked(UInt128 bits, int width, int prefix)
    {
        if (prefix == 0)
        {
            return UInt128.Zero;
        }

        // 1 ≤ prefix ≤ width ≤ 128, so the shift is below 128 (a shift by 128 would be one by 0).
        var hostBits = width - prefix;
        return hostBits == 0 ? bits : bits & ~((UInt128.One << hostBits) - 1);
    }
}
