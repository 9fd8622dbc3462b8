namespace Tarpit.Tarpits.Tls;

/// <summary>
/// What a tarpit needs from a ClientHello (RFC 8446 §4.1.2 / RFC 5246 §7.4.1.2) to answer like a real server.
/// Attacker strings (<see cref="ServerName"/>, <see cref="Alpn"/>) are already escaped.
/// </summary>
/// <param name="RecordVersion">The version on the first record's header.</param>
/// <param name="LegacyVersion">client_version / legacy_version.</param>
/// <param name="MaxVersion">The highest version offered: from supported_versions when present (GREASE ignored).</param>
/// <param name="OffersTls12">TLS 1.2 is offered (by supported_versions or by legacy_version ≥ 1.2).</param>
/// <param name="Alpn">The offered protocol names, escaped, comma-separated; null without the extension.</param>
/// <param name="Random">The client's 32-byte random (signed over in a ServerKeyExchange).</param>
/// <param name="OffersTls13">TLS 1.3 is in supported_versions.</param>
/// <param name="KeyShareGroup">The group of the client's first key share we can answer in TLS 1.3 (x25519 or secp256r1), or 0.</param>
/// <param name="EcdheGroup">The TLS 1.2 ECDHE group: the client's first of x25519 and secp256r1 in supported_groups, or 0.</param>
/// <param name="RsaPss">rsa_pss_rsae_sha256 is in signature_algorithms (else rsa_pkcs1_sha256 signs).</param>
internal sealed record ClientHello(
    ushort RecordVersion,
    ushort LegacyVersion,
    ushort MaxVersion,
    bool OffersTls12,
    byte[] SessionId,
    ushort[] CipherSuites,
    string? ServerName,
    string? Alpn,
    bool AlpnHttp11,
    ClientHelloExtensions Extensions,
    byte[]? Random = null,
    bool OffersTls13 = false,
    ushort KeyShareGroup = 0,
    ushort EcdheGroup = TlsGroups.Secp256r1,
    bool RsaPss = false)
{
    /// <summary>What the capture and the JA4 fingerprint read (<see cref="Ja4"/>); null for a hello built by hand.</summary>
    public HelloTraits? Traits { get; init; }
}
