namespace Tarpit.Tarpits.Tls;

/// <summary>
/// The bounds of the client's first flight and the parse of its ClientHello (RFC 8446 §4.1.2), bounded and
/// exception-free on any input; <see cref="ClientHelloReader"/> reads the records (RFC 8446 §5.1) as they arrive.
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

    /// <summary>The flight in one span (<see cref="ClientHelloReader"/> reads one that arrives in pieces).</summary>
    public static TlsParseResult Parse(ReadOnlySpan<byte> data)
    {
        var reader = new ClientHelloReader();
        var result = reader.Feed(data);
        reader.Release();
        return result;
    }

    /// <summary>The first handshake message must be a ClientHello within our bound; null when it is.</summary>
    internal static TlsParseStatus? CheckHandshakeHeader(ReadOnlySpan<byte> header, out int needed, out byte alert)
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

    private static TlsParseStatus Fail(out byte alert, byte description)
    {
        alert = description;
        return TlsParseStatus.Invalid;
    }
}
