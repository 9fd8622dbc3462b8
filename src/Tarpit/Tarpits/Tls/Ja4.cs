using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;

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

    /// <summary>
    /// The fingerprint, or null for a hello without <see cref="ClientHello.Traits"/>. Composed in pooled buffers: the
    /// string is its only allocation (LINQ, a hex string per value and joined lists were ~2 KB of garbage per hello).
    /// </summary>
    public static string? Of(ClientHello hello)
    {
        ArgumentNullException.ThrowIfNull(hello);
        if (hello.Traits is not { } traits)
        {
            return null;
        }

        var values = ArrayPool<ushort>.Shared.Rent(hello.CipherSuites.Length + traits.ExtensionTypes.Length);
        var text = ArrayPool<byte>.Shared.Rent(HexEntry * (hello.CipherSuites.Length + traits.ExtensionTypes.Length + traits.SignatureAlgorithms.Length + 1));
        try
        {
            var ciphers = WithoutGrease(hello.CipherSuites, values);
            var extensions = WithoutGrease(traits.ExtensionTypes, values.AsSpan(ciphers.Length));
            var extensionCount = extensions.Length;
            var sni = extensions.Contains(ServerNameExtension) ? 'd' : 'i';
            ciphers.Sort();

            // The extensions hashed: without SNI and ALPN, sorted.
            var kept = 0;
            foreach (var extension in extensions)
            {
                if (extension is not (ServerNameExtension or AlpnExtension))
                {
                    extensions[kept++] = extension;
                }
            }

            var sorted = extensions[..kept];
            sorted.Sort();

            Span<char> fingerprint = stackalloc char[Length];
            fingerprint[0] = 't';
            VersionText(HighestVersion(traits.Versions, hello.LegacyVersion)).CopyTo(fingerprint[1..]);
            fingerprint[3] = sni;
            Math.Min(ciphers.Length, MaxCount).TryFormat(fingerprint[4..], out _, "D2", CultureInfo.InvariantCulture);
            Math.Min(extensionCount, MaxCount).TryFormat(fingerprint[6..], out _, "D2", CultureInfo.InvariantCulture);
            (traits.AlpnChars ?? "00").AsSpan(0, 2).CopyTo(fingerprint[8..]);
            fingerprint[10] = '_';
            Hash(ciphers, [], text, fingerprint.Slice(11, HashLength));
            fingerprint[11 + HashLength] = '_';
            if (sorted.IsEmpty)
            {
                fingerprint[(12 + HashLength)..].Fill('0');
            }
            else
            {
                Hash(sorted, traits.SignatureAlgorithms, text, fingerprint[(12 + HashLength)..]);
            }

            return new string(fingerprint);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(text);
            ArrayPool<ushort>.Shared.Return(values);
        }
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

    /// <summary>Four hex digits and a comma.</summary>
    private const int HexEntry = 5;

    private static ushort HighestVersion(ushort[]? versions, ushort legacy)
    {
        if (versions is not { Length: > 0 })
        {
            return legacy;
        }

        var highest = versions[0];
        foreach (var version in versions)
        {
            highest = Math.Max(highest, version);
        }

        return highest;
    }

    /// <summary>Copies the values that are not GREASE into <paramref name="into"/>; returns that part of it.</summary>
    private static Span<ushort> WithoutGrease(ushort[] values, Span<ushort> into)
    {
        var count = 0;
        foreach (var value in values)
        {
            if (!TlsRecord.IsGrease(value))
            {
                into[count++] = value;
            }
        }

        return into[..count];
    }

    /// <summary>
    /// The first 12 hex digits of SHA-256 over <paramref name="values"/> as comma-separated 4-digit lower-case hex, then,
    /// when <paramref name="signatures"/> has any that is not GREASE, <c>_</c> and those in their order; twelve zeros
    /// for nothing at all.
    /// </summary>
    private static void Hash(ReadOnlySpan<ushort> values, ushort[] signatures, byte[] text, Span<char> into)
    {
        var length = 0;
        foreach (var value in values)
        {
            length = AppendHex(text, length, value, length == 0 ? (byte)0 : (byte)',');
        }

        var first = true;
        foreach (var signature in signatures)
        {
            if (!TlsRecord.IsGrease(signature))
            {
                length = AppendHex(text, length, signature, first ? (byte)'_' : (byte)',');
                first = false;
            }
        }

        if (length == 0)
        {
            into.Fill('0');
            return;
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(text.AsSpan(0, length), digest);
        Convert.TryToHexStringLower(digest[..(HashLength / 2)], into, out _);
    }

    private static int AppendHex(byte[] text, int at, ushort value, byte separator)
    {
        if (separator != 0)
        {
            text[at++] = separator;
        }

        value.TryFormat(text.AsSpan(at), out var written, "x4", CultureInfo.InvariantCulture);
        return at + written;
    }
}
