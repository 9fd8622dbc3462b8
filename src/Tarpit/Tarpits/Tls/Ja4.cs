using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tarpit.Tarpits.Tls;

/// <summary>
/// The JA4 fingerprint of a ClientHello, as FoxIO publishes it (JA4 technical details,
/// https://github.com/FoxIO-LLC/ja4/blob/main/technical_details/JA4.md): <c>a_b_c</c> where
/// <list type="bullet">
/// <item>a = protocol (<c>t</c>: TCP), TLS version (the highest of supported_versions, else legacy_version: <c>13</c>,
/// <c>12</c>, <c>11</c>, <c>10</c>, <c>s3</c>, <c>00</c>), <c>d</c> when the SNI extension is present else <c>i</c>, the
/// cipher count and the extension count (two digits each, at most 99, SNI and ALPN counted), and the first and last
/// characters of the first ALPN value (<c>00</c> without ALPN; the first and last hex digits of the value when either
/// character is not alphanumeric);</item>
/// <item>b = the first 12 hex digits of SHA-256 over the cipher suites as 4-digit lower-case hex, sorted, comma-separated;</item>
/// <item>c = the same over the extension types sorted (without SNI 0x0000 and ALPN 0x0010), then <c>_</c> and the
/// signature algorithms in the order offered (no <c>_</c> when there are none).</item>
/// </list>
/// GREASE values (RFC 8701) are ignored everywhere. An empty list hashes to <c>000000000000</c>.
/// </summary>
internal static class Ja4
{
    /// <summary>JA4: the two-digit counts stop at 99.</summary>
    public const int MaxCount = 99;

    /// <summary>JA4: hashes are cut to 12 hex digits.</summary>
    public const int HashLength = 12;

    /// <summary>The length of a whole fingerprint: 10 + 1 + 12 + 1 + 12.</summary>
    public const int Length = 10 + 1 + HashLength + 1 + HashLength;

    private const ushort ServerNameExtension = 0x0000;
    private const ushort AlpnExtension = 0x0010;

    /// <summary>The fingerprint, or null for a hello without <see cref="ClientHello.Traits"/>.</summary>
    public static string? Of(ClientHello hello)
    {
        ArgumentNullException.ThrowIfNull(hello);
        if (hello.Traits is not { } traits)
        {
            return null;
        }

        var ciphers = WithoutGrease(hello.CipherSuites);
        var extensions = WithoutGrease(traits.ExtensionTypes);
        var version = traits.Versions is { Length: > 0 } versions ? versions.Max() : hello.LegacyVersion;
        var sni = extensions.Contains(ServerNameExtension) ? 'd' : 'i';
        var a = string.Create(
            CultureInfo.InvariantCulture,
            $"t{VersionText(version)}{sni}{Math.Min(ciphers.Length, MaxCount):D2}{Math.Min(extensions.Length, MaxCount):D2}{traits.AlpnChars ?? "00"}");
        Array.Sort(ciphers);
        var sorted = extensions.Where(e => e is not (ServerNameExtension or AlpnExtension)).Order().ToArray();
        var signatures = WithoutGrease(traits.SignatureAlgorithms);
        var c = signatures.Length == 0 ? HexList(sorted) : HexList(sorted) + "_" + HexList(signatures);
        return $"{a}_{Hash(ciphers.Length == 0 ? null : HexList(ciphers))}_{Hash(sorted.Length == 0 ? null : c)}";
    }

    /// <summary>
    /// JA4's ALPN part of one protocol name (1–255 bytes, RFC 7301 §3.1): its first and last characters when both are
    /// ASCII letters or digits, else the first hex digit of its first byte and the last of its last byte.
    /// </summary>
    public static string AlpnChars(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty)
        {
            return "00";
        }

        var (first, last) = (name[0], name[^1]);
        if (char.IsAsciiLetterOrDigit((char)first) && char.IsAsciiLetterOrDigit((char)last))
        {
            return string.Concat((char)first, (char)last);
        }

        const string Hex = "0123456789abcdef";
        return string.Concat(Hex[first >> 4], Hex[last & 0x0F]);
    }

    /// <summary>JA4's version codes; anything else is <c>00</c>.</summary>
    public static string VersionText(ushort version) => version switch
    {
        0x0304 => "13",
        0x0303 => "12",
        0x0302 => "11",
        0x0301 => "10",
        0x0300 => "s3",
        0x0002 => "s2",
        _ => "00",
    };

    private static ushort[] WithoutGrease(ushort[] values) => values.Where(v => !TlsRecord.IsGrease(v)).ToArray();

    private static string HexList(ushort[] values) => string.Join(',', values.Select(v => v.ToString("x4", CultureInfo.InvariantCulture)));

    private static string Hash(string? text) =>
        text is null ? new string('0', HashLength) : Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(text)))[..HashLength];
}
