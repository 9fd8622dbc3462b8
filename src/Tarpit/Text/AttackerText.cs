using System.Text;

namespace Tarpit.Text;

/// <summary>
/// Makes bytes an attacker chose safe for a log line, the store or a terminal: printable ASCII stays, everything else
/// (control bytes, escape sequences, non-ASCII, backslash) becomes <c>\xNN</c>, and the result is cut at a bound with
/// a marker. Modelled on Tmds.Ssh's <c>EscapeControlCharacters</c>, but stricter: a terminal never sees a raw byte
/// above 0x7E, so no UTF-8 trickery (bidi overrides, homoglyphs) reaches an admin's screen.
/// </summary>
internal static class AttackerText
{
    /// <summary>The default cap on escaped output: enough for a request line or a client version, bounded for logs.</summary>
    public const int DefaultMaxLength = 256;

    /// <summary>Appended when the input was cut.</summary>
    public const char TruncationMarker = '…';

    public static string Escape(ReadOnlySpan<byte> bytes, int maxLength = DefaultMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        if (bytes.Length <= maxLength && AllPlain(bytes))
        {
            // What nearly every log line is: nothing to escape, nothing to cut (vectorized check, one copy).
            return Encoding.ASCII.GetString(bytes);
        }

        var builder = new StringBuilder(Math.Min(bytes.Length, maxLength) + 1);
        foreach (var b in bytes)
        {
            if (!TryAppend(builder, b, maxLength))
            {
                return builder.Append(TruncationMarker).ToString();
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Escapes a string that came from an attacker (e.g. a user name out of a log line), byte-wise as UTF-8: the same
    /// output as <see cref="Escape(ReadOnlySpan{byte}, int)"/> of <c>Encoding.UTF8.GetBytes(text)</c> (a lone surrogate
    /// is U+FFFD), encoded one rune at a time so that no input, however long or multi-byte, needs a buffer beyond 4 bytes.
    /// </summary>
    public static string Escape(string text, int maxLength = DefaultMaxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        if (text.Length <= maxLength && AllPlain(text))
        {
            // Printable ASCII within the bound is its own escape: the same string, no copy (a ban's reason and source).
            return text;
        }

        var builder = new StringBuilder(Math.Min(text.Length, maxLength) + 1);
        Span<byte> utf8 = stackalloc byte[4];
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            // Ill-formed UTF-16 (a lone surrogate) decodes to U+FFFD, as Encoding.UTF8 encodes it.
            Rune.DecodeFromUtf16(rest, out var rune, out var consumed);
            rest = rest[consumed..];
            foreach (var b in utf8[..rune.EncodeToUtf8(utf8)])
            {
                if (!TryAppend(builder, b, maxLength))
                {
                    return builder.Append(TruncationMarker).ToString();
                }
            }
        }

        return builder.ToString();
    }

    /// <summary>Appends one byte, as itself or as <c>\xNN</c>, unless that would pass the bound (an escape is never split).</summary>
    private static bool TryAppend(StringBuilder builder, byte b, int maxLength)
    {
        var plain = IsPlain(b);
        if (builder.Length + (plain ? 1 : 4) > maxLength)
        {
            return false;
        }

        if (plain)
        {
            builder.Append((char)b);
        }
        else
        {
            builder.Append(@"\x").Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return true;
    }

    private static bool IsPlain(byte b) => b is >= 0x20 and <= 0x7E and not (byte)'\\';

    /// <summary>Every byte <see cref="IsPlain"/>.</summary>
    private static bool AllPlain(ReadOnlySpan<byte> bytes) => !bytes.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E) && !bytes.Contains((byte)'\\');

    /// <summary>Every char printable ASCII other than the backslash: each is one plain byte in UTF-8.</summary>
    private static bool AllPlain(ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange('\u0020', '\u007E') && !text.Contains('\\');
}
