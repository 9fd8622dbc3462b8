using System.Buffers.Binary;
using System.Text;

namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// RFC 4253 §6 binary packet framing before NEWKEYS (cipher "none", no MAC):
/// <c>uint32 packet_length, byte padding_length, byte[n1] payload, byte[n2] random padding</c>.
/// </summary>
internal static class SshPacket
{
    /// <summary>RFC 4253 §6: "There MUST be at least four bytes of padding."</summary>
    public const int MinPadding = 4;

    /// <summary>RFC 4253 §6: the total of the four fields is a multiple of the cipher block size or 8, whichever is larger.</summary>
    public const int BlockSize = 8;

    /// <summary>The <c>packet_length</c> and <c>padding_length</c> fields.</summary>
    public const int HeaderLength = 5;

    /// <summary>RFC 4253 §12.</summary>
    public const byte MessageKexInit = 20;

    /// <summary>The smallest padding (≥ 4) that makes the packet a multiple of <see cref="BlockSize"/>.</summary>
    public static int PaddingFor(int payloadLength)
    {
        var padding = BlockSize - ((HeaderLength + payloadLength) % BlockSize);
        return padding < MinPadding ? padding + BlockSize : padding;
    }

    /// <summary>Frames <paramref name="payload"/> with the smallest valid padding, filled with zeros (callers fill it per connection).</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        var padding = PaddingFor(payload.Length);
        var packet = new byte[HeaderLength + payload.Length + padding];
        WriteHeader(packet, payload.Length, padding);
        payload.CopyTo(packet.AsSpan(HeaderLength));
        return packet;
    }

    /// <summary>Writes <c>packet_length</c> and <c>padding_length</c>.</summary>
    public static void WriteHeader(Span<byte> packet, int payloadLength, int padding)
    {
        BinaryPrimitives.WriteUInt32BigEndian(packet, (uint)(1 + payloadLength + padding));
        packet[4] = (byte)padding;
    }

    /// <summary>RFC 4251 §5 name-list: uint32 length, then comma-separated ASCII names (given joined).</summary>
    public static void WriteNameList(Stream payload, string names)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(names);
        var bytes = Encoding.ASCII.GetBytes(names);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
        payload.Write(length);
        payload.Write(bytes);
    }
}
