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
    ClientHelloExtensions Extensions);
