using System.Buffers;

namespace Tarpit.Tarpits.Tls;

/// <summary>
/// Reads the client's first flight as it arrives: TLS records (RFC 8446 §5.1) carrying one ClientHello (§4.1.2),
/// reassembled when it spans records. Record headers are read byte by byte and a fragment is copied once, where the
/// previous read stopped, into an <see cref="ArrayPool{T}"/> buffer that grows (by doubling) to at most the bounded
/// hello (<see cref="ClientHelloParser.MaxClientHelloLength"/>) and goes back to the pool once the flight is decided.
/// The hello is parsed once, when the record completing it has arrived. The outcome depends only on the bytes, never on
/// how they were split across reads.
/// </summary>
internal sealed class ClientHelloReader
{
    /// <summary>The first buffer rented: curl's and browsers' hellos (without post-quantum shares) fit.</summary>
    private const int InitialMessageBuffer = 512;

    /// <summary>The handshake message we collect at most: its header and the largest body accepted.</summary>
    private const int MaxMessageLength = TlsRecord.HandshakeHeaderLength + ClientHelloParser.MaxClientHelloLength;

    private byte[]? _message;
    private TlsParseResult _result = TlsParseResult.Incomplete;
    private int _collected;
    private int _needed = -1;
    private int _raw;
    private int _recordRemaining;
    private ushort _recordVersion;
    private ushort _firstVersion;
    private byte _headerRead;
    private bool _decided;

    /// <summary>
    /// The version of the alert a real server answers garbage with: the client's first record version (at most TLS 1.2),
    /// or TLS 1.0 when the client did not send one.
    /// </summary>
    public ushort AlertVersion => _raw >= 3 && (_firstVersion >> 8) == 3
        ? (ushort)(0x0300 | Math.Min(_firstVersion & 0xFF, 3))
        : TlsRecord.Tls10;

    /// <summary>Takes the next bytes: Incomplete while a valid prefix, else the decision (later bytes are not looked at).</summary>
    public TlsParseResult Feed(ReadOnlySpan<byte> data)
    {
        if (_decided)
        {
            return _result;
        }

        var i = 0;
        while (i < data.Length)
        {
            TlsParseStatus? status;
            if (_headerRead < TlsRecord.HeaderLength)
            {
                status = TakeHeaderByte(data[i++]);
            }
            else
            {
                // Not past the flight bound within a fragment either: the byte over it decides, unless it completes the hello.
                var take = Math.Min(Math.Min(_recordRemaining, data.Length - i), ClientHelloParser.MaxFlightLength + 1 - _raw);
                Collect(data.Slice(i, take));
                i += take;
                _raw += take;
                _recordRemaining -= take;
                status = _recordRemaining == 0 ? EndRecord() : null;
            }

            if (status is null && _raw > ClientHelloParser.MaxFlightLength)
            {
                _result = TlsParseResult.Invalid(TlsAlert.DecodeError);
                status = TlsParseStatus.Invalid;
            }

            if (status is not null)
            {
                // What a real server would read of the first record's version: whatever of it came with this read.
                for (; _raw < 3 && i < data.Length; i++)
                {
                    RememberFirstVersion(data[i]);
                }

                _decided = true;
                Release();
                return _result;
            }
        }

        return TlsParseResult.Incomplete;
    }

    /// <summary>Returns the buffer to the pool (also for a flight abandoned unfinished).</summary>
    public void Release()
    {
        if (_message is not null)
        {
            ArrayPool<byte>.Shared.Return(_message);
            _message = null;
        }
    }

    private TlsParseStatus? TakeHeaderByte(byte b)
    {
        RememberFirstVersion(b);
        var index = _headerRead++;
        switch (index)
        {
            case 0 when b != TlsRecord.Handshake:
                return Fail(TlsAlert.UnexpectedMessage);
            case 1 when b != 3:
                return Fail(TlsAlert.DecodeError);
            case 2 when _raw == 3:
                _recordVersion = _firstVersion;
                return _recordVersion > TlsRecord.Tls13 ? Fail(TlsAlert.DecodeError) : null;
            case 3:
                _recordRemaining = b << 8;
                return null;
            case 4:
                _recordRemaining |= b;
                if (_recordRemaining > TlsRecord.MaxFragmentLength)
                {
                    return Fail(TlsAlert.RecordOverflow);
                }

                // RFC 8446 §5.1: implementations MUST NOT send zero-length fragments of Handshake types.
                return _recordRemaining == 0 ? Fail(TlsAlert.UnexpectedMessage) : null;
            default:
                return null;
        }
    }

    private void RememberFirstVersion(byte b)
    {
        _raw++;
        if (_raw is 2 or 3)
        {
            _firstVersion = (ushort)((_firstVersion << 8) | b);
        }
    }

    /// <summary>Copies fragment bytes of the hello (beyond its bound they are dropped: the header check refuses them).</summary>
    private void Collect(ReadOnlySpan<byte> fragment)
    {
        var take = Math.Min(fragment.Length, MaxMessageLength - _collected);
        if (take <= 0)
        {
            return;
        }

        if (_message is null || _message.Length < _collected + take)
        {
            var size = Math.Min(Math.Max(Math.Max(InitialMessageBuffer, (_message?.Length ?? 0) * 2), _collected + take), MaxMessageLength);
            var grown = ArrayPool<byte>.Shared.Rent(size);
            if (_message is not null)
            {
                _message.AsSpan(0, _collected).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(_message);
            }

            _message = grown;
        }

        fragment[..take].CopyTo(_message.AsSpan(_collected));
        _collected += take;
    }

    /// <summary>A record is complete: check the handshake header once it is in, and parse the hello once it is whole.</summary>
    private TlsParseStatus? EndRecord()
    {
        _headerRead = 0;
        if (_needed < 0 && _collected >= TlsRecord.HandshakeHeaderLength
            && ClientHelloParser.CheckHandshakeHeader(_message.AsSpan(0, _collected), out _needed, out var alert) is not null)
        {
            return Fail(alert);
        }

        if (_needed < 0 || _collected < _needed)
        {
            return null;
        }

        _result = ClientHelloParser.ParseClientHello(_message.AsSpan(0, _needed), _recordVersion);
        return _result.Status;
    }

    private TlsParseStatus Fail(byte alert)
    {
        _result = TlsParseResult.Invalid(alert);
        return TlsParseStatus.Invalid;
    }
}
