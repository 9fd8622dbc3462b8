namespace Tarpit.Tarpits.Tls;

/// <summary>
/// The ClientHellos of nmap's service scan (<c>nmap -sV</c>): its probes <c>SSLSessionReq</c> (an SSLv3 hello) and
/// <c>TLSSessionReq</c> (a TLS 1.2 hello) in nmap-service-probes (nmap 7.93) are fixed bytes, random included. A real
/// client's random is fresh from a secure generator for every hello (RFC 5246 §7.4.1.2, RFC 8446 §4.1.2), so a hello
/// carrying one of these 32-byte randoms is that scanner's: by chance, one hello in 2^256.
/// </summary>
internal static class ServiceScanProbes
{
    /// <summary>The random of <c>Probe TCP SSLSessionReq</c>.</summary>
    private static ReadOnlySpan<byte> SslSessionReqRandom =>
    [
        0x3F, 0x47, 0xD7, 0xF7, 0xBA, 0x2C, 0xEE, 0xEA, 0xB2, 0x60, 0x7E, 0xF3, 0x00, 0xFD, 0x82, 0x7B,
        0xB9, 0xD5, 0x96, 0xC8, 0x77, 0x9B, 0xE6, 0xC4, 0xDB, 0x3C, 0x3D, 0xDB, 0x6F, 0xEF, 0x10, 0x6E,
    ];

    /// <summary>The random of <c>Probe TCP TLSSessionReq</c>: 4 bytes, then "random1random2random3random4".</summary>
    private static ReadOnlySpan<byte> TlsSessionReqRandom =>
    [
        0x55, 0x1C, 0xA7, 0xE4, 0x72, 0x61, 0x6E, 0x64, 0x6F, 0x6D, 0x31, 0x72, 0x61, 0x6E, 0x64, 0x6F,
        0x6D, 0x32, 0x72, 0x61, 0x6E, 0x64, 0x6F, 0x6D, 0x33, 0x72, 0x61, 0x6E, 0x64, 0x6F, 0x6D, 0x34,
    ];

    /// <summary>The hello is one of nmap's service-scan probes.</summary>
    public static bool Sent(ClientHello hello)
    {
        ArgumentNullException.ThrowIfNull(hello);
        return hello.Random is { } random && (random.AsSpan().SequenceEqual(SslSessionReqRandom) || random.AsSpan().SequenceEqual(TlsSessionReqRandom));
    }
}
