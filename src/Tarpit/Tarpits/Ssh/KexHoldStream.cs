using System.Buffers.Binary;

namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// The endless byte stream of <c>kex-hold</c>, shared by every connection of a tarpit: the identification line, a
/// SERVER KEXINIT packet (RFC 4253 §6, §7.1), then SSH_MSG_IGNORE packets (§11.2) forever. The template is built once;
/// a connection's cookie, padding and ignore data are derived from its seed and position (<see cref="SshNoise"/>), so
/// a session keeps only a seed and an offset.
/// </summary>
internal sealed class KexHoldStream
{
    /// <summary>Each SSH_MSG_IGNORE packet is this long on the wire: a multiple of <see cref="SshPacket.BlockSize"/>.</summary>
    public const int IgnorePacketLength = 48;

    /// <summary>Padding of an ignore packet is 4 + (0..7) bytes, so its data is 27..34 bytes.</summary>
    private const int IgnoreExtraPaddingChoices = 8;

    /// <summary>Message number and the uint32 length of <c>string data</c>.</summary>
    private const int IgnorePayloadOverhead = 1 + 4;

    private readonly byte[] _prefix;
    private readonly int _cookieStart;
    private readonly int _paddingStart;

    public KexHoldStream(byte[] identificationLine)
    {
        ArgumentNullException.ThrowIfNull(identificationLine);
        var kexInitPacket = SshPacket.Frame(KexInit.Payload());
        _prefix = [.. identificationLine, .. kexInitPacket];
        IdentificationLength = identificationLine.Length;
        _cookieStart = identificationLine.Length + SshPacket.HeaderLength + KexInit.CookieOffset;
        _paddingStart = _prefix.Length - kexInitPacket[4];
    }

    /// <summary>Bytes of the identification line, CR LF included: sent whole, before any drip.</summary>
    public int IdentificationLength { get; }

    /// <summary>Bytes of the identification line and the KEXINIT packet; ignore packets start here.</summary>
    public int PrefixLength => _prefix.Length;

    /// <summary>Fills <paramref name="destination"/> with the connection's stream from <paramref name="offset"/> on.</summary>
    public void Write(ulong seed, long offset, Span<byte> destination)
    {
        Span<byte> packet = stackalloc byte[IgnorePacketLength];
        var written = 0;
        while (written < destination.Length)
        {
            var position = offset + written;
            var rest = destination[written..];
            int count;
            if (position < _prefix.Length)
            {
                count = (int)Math.Min(rest.Length, _prefix.Length - position);
                var chunk = rest[..count];
                _prefix.AsSpan((int)position, count).CopyTo(chunk);
                Randomize(seed, position, chunk, _cookieStart, _cookieStart + KexInit.CookieLength);
                Randomize(seed, position, chunk, _paddingStart, _prefix.Length);
            }
            else
            {
                var ignoreOffset = position - _prefix.Length;
                var packetStart = position - (ignoreOffset % IgnorePacketLength);
                var within = (int)(position - packetStart);
                WriteIgnorePacket(seed, packetStart, packet);
                count = Math.Min(rest.Length, IgnorePacketLength - within);
                packet.Slice(within, count).CopyTo(rest);
            }

            written += count;
        }
    }

    private static void WriteIgnorePacket(ulong seed, long packetStart, Span<byte> packet)
    {
        var padding = SshPacket.MinPadding + (int)(SshNoise.At(seed, packetStart) % IgnoreExtraPaddingChoices);
        var payloadLength = IgnorePacketLength - SshPacket.HeaderLength - padding;
        SshPacket.WriteHeader(packet, payloadLength, padding);
        packet[SshPacket.HeaderLength] = SshPacket.MessageIgnore;
        BinaryPrimitives.WriteUInt32BigEndian(packet[(SshPacket.HeaderLength + 1)..], (uint)(payloadLength - IgnorePayloadOverhead));
        var noiseStart = SshPacket.HeaderLength + IgnorePayloadOverhead;
        SshNoise.Fill(seed, packetStart + noiseStart, packet[noiseStart..]);
    }

    /// <summary>Replaces the bytes of <paramref name="chunk"/> (at stream <paramref name="position"/>) that fall in [from, to) with noise.</summary>
    private static void Randomize(ulong seed, long position, Span<byte> chunk, int from, int to)
    {
        var start = Math.Max(position, from);
        var end = Math.Min(position + chunk.Length, to);
        if (start < end)
        {
            SshNoise.Fill(seed, start, chunk.Slice((int)(start - position), (int)(end - start)));
        }
    }
}
