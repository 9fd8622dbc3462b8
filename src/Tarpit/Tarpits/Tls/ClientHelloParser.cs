using System.Buffers;
using System.Buffers.Binary;

namespace Tarpit.Tarpits.Tls;

/// <summary>
/// Parses the client's first flight: TLS records (RFC 8446 §5.1) carrying one ClientHello, reassembled when it spans
/// records. Pure, bounded and exception-free on any input: called again with the longer buffer while Incomplete.
/// </summary>
internal static partial class ClientHelloParser
{
    /// <summary>
    /// The largest ClientHello body accepted: one full record's worth (RFC 8446 §5.1, 2^14). Browsers' hellos, even with
    /// post-quantum key shares, are under 2 KiB; OpenSSL's own ceiling is far higher, but nothing real needs it.
    /// </summary>
    public const int MaxClientHelloLength = TlsRecord.MaxFragmentLength;

    /// <summary>
    /// Raw bytes we look at before giving up: the hello with generous record overhead (a client may split it into many
    /// small records). Bounds what a session buffers.
    /// </summary>
    public const int MaxFlightLength = 2 * (MaxClientHelloLength + TlsRecord.HandshakeHeaderLength);

    public static TlsParseResult Parse(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return TlsParseResult.Incomplete;
        }

        // Check the first record header byte by byte, so garbage is answered as soon as it is recognisable.
        if (data[0] != TlsRecord.Handshake)
        {
            return TlsParseResult.Invalid(TlsAlert.UnexpectedMessage);
        }

        if (data.Length >= 2 && data[1] != 3)
        {
            return TlsParseResult.Invalid(TlsAlert.DecodeError);
        }

        var recordVersion = data.Length >= 3 ? BinaryPrimitives.ReadUInt16BigEndian(data[1..]) : (ushort)0;
        if (data.Length >= 3 && recordVersion > TlsRecord.Tls13)
        {
            return TlsParseResult.Invalid(TlsAlert.DecodeError);
        }

        byte[]? pooled = null;
        try
        {
            var status = Reassemble(data, ref pooled, out var message, out var alert);
            return status switch
            {
                TlsParseStatus.Complete => ParseClientHello(message, recordVersion),
                TlsParseStatus.Invalid => TlsParseResult.Invalid(alert),
                _ => data.Length > MaxFlightLength ? TlsParseResult.Invalid(TlsAlert.DecodeError) : TlsParseResult.Incomplete,
            };
        }
        finally
        {
            if (pooled is not null)
            {
                ArrayPool<byte>.Shared.Return(pooled);
            }
        }
    }

    /// <summary>Collects handshake fragments until one whole handshake message (header and body) is available.</summary>
    private static TlsParseStatus Reassemble(ReadOnlySpan<byte> data, ref byte[]? pooled, out ReadOnlySpan<byte> message, out byte alert)
    {
        message = default;
        alert = 0;
        var collected = 0;
        var needed = -1;
        var pos = 0;
        while (true)
        {
            var remaining = data[pos..];
            if (remaining.Length < TlsRecord.HeaderLength)
            {
                return remaining.IsEmpty || IsRecordHeaderPrefix(remaining) ? TlsParseStatus.Incomplete : Fail(out alert, TlsAlert.UnexpectedMessage);
            }

            if (remaining[0] != TlsRecord.Handshake)
            {
                return Fail(out alert, TlsAlert.UnexpectedMessage);
            }

            if (remaining[1] != 3)
            {
                return Fail(out alert, TlsAlert.DecodeError);
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(remaining[3..]);
            if (length > TlsRecord.MaxFragmentLength)
            {
                return Fail(out alert, TlsAlert.RecordOverflow);
            }

            // RFC 8446 §5.1: implementations MUST NOT send zero-length fragments of Handshake types.
            if (length == 0)
            {
                return Fail(out alert, TlsAlert.UnexpectedMessage);
            }

            if (remaining.Length < TlsRecord.HeaderLength + length)
            {
                return TlsParseStatus.Incomplete;
            }

            var fragment = remaining.Slice(TlsRecord.HeaderLength, length);
            pos += TlsRecord.HeaderLength + length;

            // The common case: the whole message in the first record, parsed in place.
            if (collected == 0 && fragment.Length >= TlsRecord.HandshakeHeaderLength)
            {
                if (CheckHandshakeHeader(fragment, out needed, out alert) is { } failed)
                {
                    return failed;
                }

                if (fragment.Length >= needed)
                {
                    message = fragment[..needed];
                    return TlsParseStatus.Complete;
                }
            }

            pooled ??= ArrayPool<byte>.Shared.Rent(MaxClientHelloLength + TlsRecord.HandshakeHeaderLength);
            var take = Math.Min(fragment.Length, pooled.Length - collected);
            fragment[..take].CopyTo(pooled.AsSpan(collected));
            collected += take;
            if (needed < 0 && collected >= TlsRecord.HandshakeHeaderLength
                && CheckHandshakeHeader(pooled.AsSpan(0, collected), out needed, out alert) is { } headerFailed)
            {
                return headerFailed;
            }

            if (needed >= 0 && collected >= needed)
            {
                message = pooled.AsSpan(0, needed);
                return TlsParseStatus.Complete;
            }
        }
    }

    /// <summary>The first handshake message must be a ClientHello within our bound; null when it is.</summary>
    private static TlsParseStatus? CheckHandshakeHeader(ReadOnlySpan<byte> header, out int needed, out byte alert)
    {
        needed = -1;
        alert = 0;
        if (header[0] != TlsRecord.ClientHelloType)
        {
            return Fail(out alert, TlsAlert.UnexpectedMessage);
        }

        var bodyLength = (header[1] << 16) | (header[2] << 8) | header[3];
        if (bodyLength > MaxClientHelloLength)
        {
            return Fail(out alert, TlsAlert.DecodeError);
        }

        needed = TlsRecord.HandshakeHeaderLength + bodyLength;
        return null;
    }

    private static bool IsRecordHeaderPrefix(ReadOnlySpan<byte> partial) =>
        partial[0] == TlsRecord.Handshake && (partial.Length < 2 || partial[1] == 3);

    private static TlsParseStatus Fail(out byte alert, byte description)
    {
        alert = description;
        return TlsParseStatus.Invalid;
    }
}
