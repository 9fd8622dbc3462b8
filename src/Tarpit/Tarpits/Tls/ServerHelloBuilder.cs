namespace Tarpit.Tarpits.Tls;

/// <summary>
/// Builds the ServerHello a TLS 1.2 nginx/OpenSSL server would send (RFC 5246 §7.4.1.3): always at most TLS 1.2 (so a
/// TLS 1.3 client sees an old server, not a downgrade: no DOWNGRD sentinel, RFC 8446 §4.1.3), a fresh random per
/// connection, the client's legacy_session_id echoed, the first suite of our preference the client offered, and only
/// extensions the client offered, in OpenSSL's order.
/// </summary>
internal static class ServerHelloBuilder
{
    /// <summary>Server preference: ECDHE AEAD (TLS 1.2), ECDHE CBC (TLS 1.0+), then static RSA, as a default nginx.</summary>
    private static readonly (ushort Suite, ushort MinVersion, bool Ecc)[] Preference =
    [
        (0xC02F, TlsRecord.Tls12, true), // ECDHE-RSA-AES128-GCM-SHA256
        (0xC030, TlsRecord.Tls12, true), // ECDHE-RSA-AES256-GCM-SHA384
        (0xCCA8, TlsRecord.Tls12, true), // ECDHE-RSA-CHACHA20-POLY1305
        (0xC02B, TlsRecord.Tls12, true), // ECDHE-ECDSA-AES128-GCM-SHA256
        (0xC02C, TlsRecord.Tls12, true), // ECDHE-ECDSA-AES256-GCM-SHA384
        (0xCCA9, TlsRecord.Tls12, true), // ECDHE-ECDSA-CHACHA20-POLY1305
        (0xC027, TlsRecord.Tls12, true), // ECDHE-RSA-AES128-SHA256
        (0xC013, TlsRecord.Tls10, true), // ECDHE-RSA-AES128-SHA
        (0xC014, TlsRecord.Tls10, true), // ECDHE-RSA-AES256-SHA
        (0xC009, TlsRecord.Tls10, true), // ECDHE-ECDSA-AES128-SHA
        (0xC00A, TlsRecord.Tls10, true), // ECDHE-ECDSA-AES256-SHA
        (0x009C, TlsRecord.Tls12, false), // AES128-GCM-SHA256
        (0x009D, TlsRecord.Tls12, false), // AES256-GCM-SHA384
        (0x002F, TlsRecord.Tls10, false), // AES128-SHA
        (0x0035, TlsRecord.Tls10, false), // AES256-SHA
        (0x0033, TlsRecord.Tls10, false), // DHE-RSA-AES128-SHA
        (0x0039, TlsRecord.Tls10, false), // DHE-RSA-AES256-SHA
        (0x000A, TlsRecord.Tls10, false), // DES-CBC3-SHA
    ];

    /// <summary>RFC 8446 §4.1.3: the last 8 bytes of a downgrading server's random; a TLS 1.3 client aborts on them.</summary>
    private static ReadOnlySpan<byte> DowngradePrefix => "DOWNGRD"u8;

    /// <summary>The version a TLS 1.2 server negotiates, or null (protocol_version alert) for SSLv3 or TLS 1.3-only.</summary>
    public static ushort? ChooseVersion(ClientHello hello)
    {
        ArgumentNullException.ThrowIfNull(hello);
        if (hello.OffersTls12)
        {
            return TlsRecord.Tls12;
        }

        // RFC 7568: SSLv3 MUST NOT be negotiated. A supported_versions list without 1.2 (TLS 1.3 only) has no overlap.
        var version = (hello.Extensions & ClientHelloExtensions.SupportedVersions) != 0 ? (ushort)0 : hello.LegacyVersion;
        return version is TlsRecord.Tls10 or TlsRecord.Tls11 ? version : null;
    }

    public static (ushort Suite, bool Ecc)? ChooseSuite(ClientHello hello, ushort version)
    {
        ArgumentNullException.ThrowIfNull(hello);
        foreach (var (suite, minVersion, ecc) in Preference)
        {
            if (version >= minVersion && Array.IndexOf(hello.CipherSuites, suite) >= 0)
            {
                return (suite, ecc);
            }
        }

        return null;
    }

    /// <summary>
    /// The ServerHello record, or null with the alert a real server sends instead (protocol_version: no common
    /// version; handshake_failure: no common suite).
    /// </summary>
    public static byte[]? Build(ClientHello hello, Random random, out ushort version, out byte alert)
    {
        ArgumentNullException.ThrowIfNull(hello);
        ArgumentNullException.ThrowIfNull(random);
        alert = 0;
        version = hello.LegacyVersion is >= TlsRecord.Tls10 and <= TlsRecord.Tls12 ? hello.LegacyVersion : TlsRecord.Tls10;
        if (ChooseVersion(hello) is not { } chosen)
        {
            alert = TlsAlert.ProtocolVersion;
            return null;
        }

        version = chosen;
        if (ChooseSuite(hello, chosen) is not var (suite, ecc))
        {
            alert = TlsAlert.HandshakeFailure;
            return null;
        }

        Span<byte> buffer = stackalloc byte[256];
        var w = new SpanWriter(buffer);
        w.Skip(TlsRecord.HeaderLength + TlsRecord.HandshakeHeaderLength);
        w.UInt16(chosen);
        var serverRandom = w.Take(32);
        do
        {
            random.NextBytes(serverRandom);
        }
        while (serverRandom[24..31].SequenceEqual(DowngradePrefix));

        w.UInt8((byte)hello.SessionId.Length);
        w.Bytes(hello.SessionId);
        w.UInt16(suite);
        w.UInt8(0);
        var extensionsStart = w.Position;
        w.UInt16(0);
        WriteExtensions(ref w, hello, ecc);
        var extensionsLength = w.Position - extensionsStart - 2;
        if (extensionsLength == 0)
        {
            w.Position = extensionsStart;
        }
        else
        {
            buffer[extensionsStart] = (byte)(extensionsLength >> 8);
            buffer[extensionsStart + 1] = (byte)extensionsLength;
        }

        var bodyLength = w.Position - TlsRecord.HeaderLength - TlsRecord.HandshakeHeaderLength;
        TlsRecord.WriteHeader(buffer, TlsRecord.Handshake, chosen, bodyLength + TlsRecord.HandshakeHeaderLength);
        buffer[5] = TlsRecord.ServerHelloType;
        buffer[6] = 0;
        buffer[7] = (byte)(bodyLength >> 8);
        buffer[8] = (byte)bodyLength;
        return buffer[..w.Position].ToArray();
    }

    /// <summary>OpenSSL's server extension order (ssl/statem/extensions.c ext_defs), each only when offered.</summary>
    private static void WriteExtensions(ref SpanWriter w, ClientHello hello, bool ecc)
    {
        var offered = hello.Extensions;
        if ((offered & ClientHelloExtensions.RenegotiationInfo) != 0)
        {
            w.Bytes([0xFF, 0x01, 0x00, 0x01, 0x00]); // RFC 5746 §3.6: empty renegotiated_connection
        }

        if ((offered & ClientHelloExtensions.ServerName) != 0 && hello.ServerName is not null)
        {
            w.Bytes([0x00, 0x00, 0x00, 0x00]); // RFC 6066 §3: empty server_name acknowledges SNI
        }

        if (ecc && (offered & ClientHelloExtensions.EcPointFormats) != 0)
        {
            w.Bytes([0x00, 0x0B, 0x00, 0x02, 0x01, 0x00]); // RFC 8422 §5.2: uncompressed only
        }

        if ((offered & ClientHelloExtensions.SessionTicket) != 0)
        {
            w.Bytes([0x00, 0x23, 0x00, 0x00]); // RFC 5077 §3.2: will send a NewSessionTicket
        }

        if (hello.AlpnHttp11)
        {
            w.Bytes([0x00, 0x10, 0x00, 0x0B, 0x00, 0x09, 0x08, .. "http/1.1"u8]); // RFC 7301 §3.1: one name
        }

        if ((offered & ClientHelloExtensions.ExtendedMasterSecret) != 0)
        {
            w.Bytes([0x00, 0x17, 0x00, 0x00]); // RFC 7627 §5.1
        }
    }
}
