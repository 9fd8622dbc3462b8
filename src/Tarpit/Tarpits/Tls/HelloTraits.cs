namespace Tarpit.Tarpits.Tls;

/// <summary>
/// The parts of a ClientHello that identify the client software rather than choose our answer: what the capture and
/// the JA4 fingerprint (<see cref="Ja4"/>) are made of. Bounded by the hello's own bound
/// (<see cref="ClientHelloParser.MaxClientHelloLength"/>): every list is at most its bytes / 2.
/// </summary>
/// <param name="ExtensionTypes">Every extension type in the order offered, GREASE included (RFC 8446 §4.2; RFC 8701).</param>
/// <param name="SignatureAlgorithms">signature_algorithms in the order offered (RFC 8446 §4.2.3), empty without it.</param>
/// <param name="Versions">supported_versions without GREASE (RFC 8446 §4.2.1); null without the extension.</param>
/// <param name="AlpnChars">JA4's two characters of the first ALPN value; null without ALPN.</param>
internal sealed record HelloTraits(ushort[] ExtensionTypes, ushort[] SignatureAlgorithms, ushort[]? Versions, string? AlpnChars);
