namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// The byte stream of <c>kex-hold</c>, shared by every connection of a tarpit: the identification line and the SERVER
/// KEXINIT packet (RFC 4253 §4.2, §6, §7.1), sent at once as sshd does; then the start of the packet a client waits for
/// next, the server's key exchange reply, which never ends: its length says <see cref="ReplyPacketLength"/> bytes and
/// the stream stops one byte short, so the client keeps waiting for the rest with nothing to object to. Unlike
/// SSH_MSG_IGNORE packets this is legal under strict KEX (<c>kex-strict-*-v00@openssh.com</c>, the Terrapin fix:
/// OpenSSH disconnects with "strict KEX violation: unexpected packet type 2" on an ignore before NEWKEYS). The template
/// is built once; a connection's cookie, padding and reply bytes come from its seed and position
/// (<see cref="SshNoise"/>), so a session keeps only a seed and an offset.
/// </summary>
internal sealed class KexHoldStream
{
    /// <summary>
    /// The message number of the server's first reply to every key exchange OpenSSH offers: SSH_MSG_KEX_ECDH_REPLY
    /// (RFC 5656 §7.1, also used by curve25519 and sntrup761x25519), SSH_MSG_KEXDH_REPLY (RFC 4253 §8) and
    /// SSH_MSG_KEX_DH_GEX_GROUP (RFC 4419 §5) are all 31.
    /// </summary>
    public const byte MessageKexReply = 31;

    /// <summary>
    /// The payload of a real sntrup761x25519-sha512 reply with an Ed25519 host key: the message number, string K_S
    /// (51 bytes), string Q_S (1039-byte sntrup761 ciphertext and a 32-byte X25519 key), string signature (83 bytes).
    /// </summary>
    public const int ReplyPayloadLength = 1 + (4 + 51) + (4 + 1039 + 32) + (4 + 83);

    private readonly byte[] _prefix;
    private readonly int _cookieStart;
    private readonly int _paddingStart;

    public KexHoldStream(byte[] identificationLine, byte[] kexInitPayload)
    {
        ArgumentNullException.ThrowIfNull(identificationLine);
        ArgumentNullException.ThrowIfNull(kexInitPayload);
        var kexInitPacket = SshPacket.Frame(kexInitPayload);
        var replyHeader = new byte[SshPacket.HeaderLength + 1];
        SshPacket.WriteHeader(replyHeader, ReplyPayloadLength, SshPacket.PaddingFor(ReplyPayloadLength));
        replyHeader[SshPacket.HeaderLength] = MessageKexReply;
        _prefix = [.. identificationLine, .. kexInitPacket, .. replyHeader];
        IdentificationLine = identificationLine;
        IdentificationLength = identificationLine.Length;
        KexInitEnd = identificationLine.Length + kexInitPacket.Length;
        _cookieStart = identificationLine.Length + SshPacket.HeaderLength + KexInit.CookieOffset;
        _paddingStart = KexInitEnd - kexInitPacket[4];
        Length = KexInitEnd + SshPacket.HeaderLength + ReplyPayloadLength + SshPacket.PaddingFor(ReplyPayloadLength) - 1;
    }

    /// <summary>The identification line, CR LF included (verification answers garbage with it, as sshd does).</summary>
    public byte[] IdentificationLine { get; }

    /// <summary>Bytes of the identification line, CR LF included.</summary>
    public int IdentificationLength { get; }

    /// <summary>Bytes of the identification line and the KEXINIT packet: the first step sends them whole.</summary>
    public int KexInitEnd { get; }

    /// <summary>Every byte a connection is ever sent: the reply packet's last byte never is.</summary>
    public int Length { get; }

    /// <summary>The reply packet's length on the wire (header, payload, padding).</summary>
    public static int ReplyPacketLength => SshPacket.HeaderLength + ReplyPayloadLength + SshPacket.PaddingFor(ReplyPayloadLength);

    /// <summary>Fills <paramref name="destination"/> with the connection's stream from <paramref name="offset"/> on (within <see cref="Length"/>).</summary>
    public void Write(ulong seed, int offset, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + destination.Length, Length);
        var fromPrefix = Math.Clamp(_prefix.Length - offset, 0, destination.Length);
        if (fromPrefix > 0)
        {
            var chunk = destination[..fromPrefix];
            _prefix.AsSpan(offset, fromPrefix).CopyTo(chunk);
            Randomize(seed, offset, chunk, _cookieStart, _cookieStart + KexInit.CookieLength);
            Randomize(seed, offset, chunk, _paddingStart, KexInitEnd);
        }

        // The reply's body: random, as K_S, Q_S and the signature look to anyone who cannot check them.
        SshNoise.Fill(seed, offset + fromPrefix, destination[fromPrefix..]);
    }

    /// <summary>Replaces the bytes of <paramref name="chunk"/> (at stream <paramref name="position"/>) that fall in [from, to) with noise.</summary>
    private static void Randomize(ulong seed, int position, Span<byte> chunk, int from, int to)
    {
        var start = Math.Max(position, from);
        var end = Math.Min(position + chunk.Length, to);
        if (start < end)
        {
            SshNoise.Fill(seed, start, chunk.Slice(start - position, end - start));
        }
    }
}
