namespace Tarpit.Tarpits.Tls;

/// <summary>
/// Builds the ServerHello Debian 12's nginx 1.22 with OpenSSL 3 sends (RFC 8446 §4.1.3, RFC 5246 §7.4.1.3): TLS 1.3 for
/// a client that offers it with an x25519 or secp256r1 key share, else TLS 1.2 (Debian's OpenSSL has MinProtocol
/// TLSv1.2, so TLS 1.0/1.1-only clients get protocol_version); the client's first suite among nginx's default
/// <c>HIGH:!aNULL:!MD5</c> for an RSA certificate (<c>ssl_prefer_server_ciphers off</c>); a fresh random per connection,
/// the client's legacy_session_id echoed, and only extensions the client offered, in OpenSSL's order.
/// </summary>
internal static class ServerHelloBuilder
{
    /// <summary>RFC 8446 §B.4, OpenSSL 3's default TLS 1.3 ciphersuites.</summary>
    private static readonly ushort[] Tls13Suites = [0x1302, 0x1303, 0x1301];

    /// <summary>
    /// TLS 1.2 suites a Debian 12 nginx with an RSA 2048 certificate accepts (as nmap's ssl-enum-ciphers lists them):
    /// ECDHE-RSA (needs a common group) and static RSA, AES (CBC, GCM, CCM), CHACHA20, ARIA, CAMELLIA; no 3DES, no DHE
    /// (nginx sets no dhparam).
    /// </summary>
    private static readonly (ushort Suite, bool Ecdhe)[] Tls12Suites =
    [
        (0xC013, true), (0xC027, true), (0xC02F, true), (0xC014, true), (0xC028, true), (0xC030, true),
        (0xC060, true), (0xC061, true), (0xC076, true), (0xC077, true), (0xCCA8, true),
        (0x002F, false), (0x003C, false), (0xC09C, false), (0xC0A0, false), (0x009C, false), (0x0035, false),
        (0x003D, false), (0xC09D, false), (0xC0A1, false), (0x009D, false), (0xC050, false), (0xC051, false),
        (0x0041, false), (0x00BA, false), (0x0084, false), (0x00C0, false),
    ];

    /// <summary>RFC 8446 §4.1.3: the last 8 bytes of a downgrading server's random; a TLS 1.3 client aborts on them.</summary>
    private static ReadOnlySpan<byte> DowngradePrefix => "DOWNGRD"u8;

    /// <summary>The version negotiated, or null (protocol_version alert): TLS 1.3 with a usable key share, else TLS 1.2.</summary>
    public static ushort? ChooseVersion(ClientHello hello)
    {
        ArgumentNullException.ThrowIfNull(hello);
        if (hello.OffersTls13 && hello.KeyShareGroup != 0)
        {
            return TlsRecord.Tls13;
        }

        return hello.OffersTls12 ? TlsRecord.Tls12 : null;
    }

    /// <summary>The client's first suite that this server accepts for <paramref name="version"/>, or null.</summary>
    public static (ushort Suite, bool Ecdhe)? ChooseSuite(ClientHello hello, ushort version)
    {
        ArgumentNullException.ThrowIfNull(hello);
        foreach (var offered in hello.CipherSuites)
        {
            if (version == TlsRecord.Tls13)
            {
                if (Array.IndexOf(Tls13Suites, offered) >= 0)
                {
                    return (offered, true);
                }

                continue;
            }

            foreach (var (suite, ecdhe) in Tls12Suites)
            {
                if (suite == offered && (!ecdhe || hello.EcdheGroup != 0))
                {
                    return (suite, ecdhe);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The ServerHello record, or null with the alert a real server sends instead (protocol_version: no common
    /// version; handshake_failure: no common suite). <paramref name="serverRandom"/> receives the random it carries;
    /// <paramref name="secp256r1Share"/> is the valid P-256 point a TLS 1.3 secp256r1 share needs (clients check it).
    /// </summary>
    public static byte[]? Build(ClientHello hello, Random random, out ushort version, out byte alert, out bool ecdhe, Span<byte> serverRandom = default, ReadOnlySpan<byte> secp256r1Share = default)
    {
        ArgumentNullException.ThrowIfNull(hello);
        ArgumentNullException.ThrowIfNull(random);
        alert = 0;
        ecdhe = false;
        version = hello.LegacyVersion is >= TlsRecord.Tls10 and <= TlsRecord.Tls12 ? hello.LegacyVersion : TlsRecord.Tls10;
        if (ChooseVersion(hello) is not { } chosen)
        {
            alert = TlsAlert.ProtocolVersion;
            return null;
        }

        version = chosen;
        if (ChooseSuite(hello, chosen) is not var (suite, withEcdhe))
        {
            alert = TlsAlert.HandshakeFailure;
            return null;
        }

        ecdhe = withEcdhe;
        Span<byte> buffer = stackalloc byte[512];
        var w = new SpanWriter(buffer);
        w.Skip(TlsRecord.HeaderLength + TlsRecord.HandshakeHeaderLength);
        w.UInt16(TlsRecord.Tls12); // RFC 8446 §4.1.3: legacy_version is 0x0303 in TLS 1.3 too
        var ours = w.Take(32);
        do
        {
            random.NextBytes(ours);
        }
        while (ours[24..31].SequenceEqual(DowngradePrefix));

        if (!serverRandom.IsEmpty)
        {
            ours.CopyTo(serverRandom);
        }

        w.UInt8((byte)hello.SessionId.Length);
        w.Bytes(hello.SessionId);
        w.UInt16(suite);
        w.UInt8(0);
        var extensionsStart = w.Position;
        w.UInt16(0);
        if (chosen == TlsRecord.Tls13)
        {
            WriteTls13Extensions(ref w, hello, random, secp256r1Share);
        }
        else
        {
            WriteTls12Extensions(ref w, hello, ecdhe);
        }

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
        TlsRecord.WriteHeader(buffer, TlsRecord.Handshake, TlsRecord.Tls12, bodyLength + TlsRecord.HandshakeHeaderLength);
        buffer[5] = TlsRecord.ServerHelloType;
        buffer[6] = 0;
        buffer[7] = (byte)(bodyLength >> 8);
        buffer[8] = (byte)bodyLength;
        return buffer[..w.Position].ToArray();
    }

    /// <summary>
    /// RFC 8446 §4.2.1 supported_versions, then §4.2.8 key_share (OpenSSL's order): x25519 random (every 32 bytes are
    /// a key), secp256r1 the tarpit's point (GnuTLS rejects an invalid one: "The public key is invalid").
    /// </summary>
    private static void WriteTls13Extensions(ref SpanWriter w, ClientHello hello, Random random, ReadOnlySpan<byte> secp256r1Share)
    {
        w.Bytes([0x00, 0x2B, 0x00, 0x02, 0x03, 0x04]);
        var keyLength = TlsGroups.KeyLength(hello.KeyShareGroup);
        w.UInt16(51);
        w.UInt16((ushort)(4 + keyLength));
        w.UInt16(hello.KeyShareGroup);
        w.UInt16((ushort)keyLength);
        var key = w.Take(keyLength);
        if (hello.KeyShareGroup == TlsGroups.Secp256r1 && secp256r1Share.Length == keyLength)
        {
            secp256r1Share.CopyTo(key);
        }
        else
        {
            random.NextBytes(key);
        }
    }

    /// <summary>OpenSSL's server extension order (ssl/statem/extensions.c ext_defs), each only when offered.</summary>
    private static void WriteTls12Extensions(ref SpanWriter w, ClientHello hello, bool ecc)
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
            w.Bytes([0x00, 0x0B, 0x00, 0x04, 0x03, 0x00, 0x01, 0x02]); // RFC 8422 §5.2: OpenSSL lists all three
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
