using System.Buffers.Binary;

namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// Reads the client's side of the key exchange start as it arrives, with bounded memory: its identification line, its
/// KEXINIT (only the kex and host key name-lists are kept) and the packet after it. When the algorithms negotiated
/// (RFC 4253 §7.1: the first on the client's list that the server also offers) are a fixed finite-field
/// Diffie-Hellman group and a host key <see cref="SshHostKeys"/> has, and the next packet is SSH_MSG_KEXDH_INIT, the
/// client waits for the reply sshd sends at once: nmap's <c>ssh-hostkey</c> does exactly this (it offers only such
/// groups). Clients that negotiate anything else (OpenSSH, Go, paramiko, asyncssh and libssh all prefer sntrup761 or
/// curve25519) are left to the dripped reply.
/// </summary>
internal sealed class ClientKexReader(IReadOnlyList<string> serverKex, IReadOnlyList<string> serverHostKeys)
{
    /// <summary>RFC 4253 §4.2: the identification string is at most 255 characters including CR LF.</summary>
    public const int MaxLineLength = 255;

    /// <summary>RFC 4253 §6.1: implementations must handle packets of 35000 bytes in total; a longer one is refused.</summary>
    public const int MaxPacketLength = 35000;

    /// <summary>
    /// Bytes of the KEXINIT payload kept to read its first two name-lists: OpenSSH 9.2's client sends ~1.1 KB in all
    /// (its kex list ~330 bytes, its host key list with certificates ~700); lists that end later are not answered.
    /// </summary>
    public const int MaxKexInitPrefix = 2048;

    /// <summary>RFC 4253 §8: SSH_MSG_KEXDH_INIT (mpint e).</summary>
    public const byte MessageKexDhInit = 30;

    /// <summary>OpenSSH <c>kex_exchange_identification</c>: its answer to a client whose protocol version is neither 2.0 nor 1.99.</summary>
    public static readonly byte[] MajorVersionsDiffer = "Protocol major versions differ.\r\n"u8.ToArray();

    /// <summary>"SSH-1.99-": the longest protocol version prefix that is judged.</summary>
    private const int VersionPrefixLength = 9;

    private enum Phase { Line, KexInitHeader, KexInitBody, InitHeader, InitBody, Done }

    private readonly byte[] _lineStart = new byte[VersionPrefixLength];
    private Phase _phase;
    private int _lineLength;
    private uint _header;
    private int _headerSeen;
    private int _bodyLeft;
    private int _packetLength;
    private byte[]? _prefix;
    private int _prefixLength;
    private ClientKexReading _result;

    /// <summary>True once the client's identification line has been read (sshd sends its KEXINIT then).</summary>
    public bool LineRead => _phase != Phase.Line;

    /// <summary>What the stream read so far came to.</summary>
    public ClientKexReading Result => _result;

    /// <summary>The negotiated key exchange, once <see cref="ClientKexReading.DhInitReceived"/>.</summary>
    public string? Kex { get; private set; }

    /// <summary>The negotiated host key algorithm, once <see cref="ClientKexReading.DhInitReceived"/>.</summary>
    public string? HostKey { get; private set; }

    public ClientKexReading Feed(ReadOnlySpan<byte> received)
    {
        while (!received.IsEmpty && _phase != Phase.Done)
        {
            received = _phase switch
            {
                Phase.Line => ReadLine(received),
                Phase.KexInitHeader or Phase.InitHeader => ReadHeader(received),
                Phase.KexInitBody => ReadKexInit(received),
                _ => ReadInit(received),
            };
        }

        return _result;
    }

    private ReadOnlySpan<byte> ReadLine(ReadOnlySpan<byte> received)
    {
        var end = received.IndexOf((byte)'\n');
        var taken = end < 0 ? received.Length : end + 1;
        if (_lineLength < VersionPrefixLength)
        {
            var start = Math.Min(taken, VersionPrefixLength - _lineLength);
            received[..start].CopyTo(_lineStart.AsSpan(_lineLength));
        }

        _lineLength += taken;
        if (_lineLength > MaxLineLength)
        {
            return Finish(ClientKexReading.NotAnswered);
        }

        if (end >= 0)
        {
            ReadOnlySpan<byte> line = _lineStart.AsSpan(0, Math.Min(_lineLength, VersionPrefixLength));
            if (line.StartsWith("SSH-"u8) && !line.StartsWith("SSH-2.0-"u8) && !line.StartsWith("SSH-1.99-"u8))
            {
                return Finish(ClientKexReading.OtherMajorVersion);
            }

            _phase = Phase.KexInitHeader;
        }

        return received[taken..];
    }

    private ReadOnlySpan<byte> ReadHeader(ReadOnlySpan<byte> received)
    {
        var taken = 0;
        while (taken < received.Length && _headerSeen < SshPacket.HeaderLength)
        {
            // packet_length (uint32) then padding_length (byte, not needed: the body is packet_length - 1 bytes).
            if (_headerSeen < 4)
            {
                _header = (_header << 8) | received[taken];
            }

            _headerSeen++;
            taken++;
        }

        if (_headerSeen < SshPacket.HeaderLength)
        {
            return received[taken..];
        }

        if (_header < SshPacket.MinPadding + 2 || _header > MaxPacketLength - 4)
        {
            return Finish(ClientKexReading.NotAnswered);
        }

        _packetLength = (int)_header;
        _bodyLeft = _packetLength - 1;
        _header = 0;
        _headerSeen = 0;
        _phase = _phase == Phase.KexInitHeader ? Phase.KexInitBody : Phase.InitBody;
        _prefixLength = 0;
        return received[taken..];
    }

    private ReadOnlySpan<byte> ReadKexInit(ReadOnlySpan<byte> received)
    {
        var taken = Math.Min(received.Length, _bodyLeft);
        _prefix ??= new byte[MaxKexInitPrefix];
        var kept = Math.Min(taken, MaxKexInitPrefix - _prefixLength);
        received[..kept].CopyTo(_prefix.AsSpan(_prefixLength));
        _prefixLength += kept;
        _bodyLeft -= taken;
        if (_bodyLeft > 0)
        {
            return received[taken..];
        }

        if (!Negotiate(_prefix.AsSpan(0, _prefixLength)))
        {
            return Finish(ClientKexReading.NotAnswered);
        }

        _prefix = null;
        _phase = Phase.InitHeader;
        return received[taken..];
    }

    private ReadOnlySpan<byte> ReadInit(ReadOnlySpan<byte> received)
    {
        if (_bodyLeft == _packetLength - 1 && received[0] != MessageKexDhInit)
        {
            return Finish(ClientKexReading.NotAnswered);
        }

        var taken = Math.Min(received.Length, _bodyLeft);
        _bodyLeft -= taken;
        return _bodyLeft > 0 ? received[taken..] : Finish(ClientKexReading.DhInitReceived);
    }

    /// <summary>RFC 4253 §7.1 on the client's kex and host key lists (the start of its KEXINIT payload).</summary>
    private bool Negotiate(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 1 + KexInit.CookieLength || payload[0] != SshPacket.MessageKexInit)
        {
            return false;
        }

        var rest = payload[(1 + KexInit.CookieLength)..];
        if (!TryNameList(ref rest, out var kexList) || !TryNameList(ref rest, out var hostKeyList))
        {
            return false;
        }

        Kex = FirstShared(kexList, serverKex);
        HostKey = FirstShared(hostKeyList, serverHostKeys);
        return Kex is not null && KexDhReply.GroupBytes(Kex) > 0 && HostKey is not null && SshHostKeys.Has(HostKey);
    }

    private static bool TryNameList(ref ReadOnlySpan<byte> rest, out string names)
    {
        names = "";
        if (rest.Length < 4 || BinaryPrimitives.ReadUInt32BigEndian(rest) > (uint)(rest.Length - 4))
        {
            return false;
        }

        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(rest);
        var bytes = rest.Slice(4, length);
        if (bytes.ContainsAnyExceptInRange((byte)'!', (byte)'~'))
        {
            return false;
        }

        names = System.Text.Encoding.ASCII.GetString(bytes);
        rest = rest[(4 + length)..];
        return true;
    }

    private static string? FirstShared(string clientList, IReadOnlyList<string> server) =>
        clientList.Split(',').FirstOrDefault(name => name.Length > 0 && server.Contains(name, StringComparer.Ordinal));

    private ReadOnlySpan<byte> Finish(ClientKexReading result)
    {
        _result = result;
        _phase = Phase.Done;
        _prefix = null;
        return [];
    }
}
