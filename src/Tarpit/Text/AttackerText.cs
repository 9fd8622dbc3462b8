using System.Globalization;
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

        // Measured first, written once: the string is the only allocation (a builder grown per byte was as much again,
        // per event of every held TLS client, whose ClientHello is all escapes).
        var kept = bytes[..Fitting(bytes, maxLength, out var length)];
        var cut = kept.Length < bytes.Length;
        length += cut ? 1 : 0;
        char[]? rented = null;
        Span<char> text = length <= MaxStackText ? stackalloc char[MaxStackText] : (rented = System.Buffers.ArrayPool<char>.Shared.Rent(length));
        var at = 0;
        foreach (var b in kept)
        {
            if (IsPlain(b))
            {
                text[at++] = (char)b;
            }
            else
            {
                text[at++] = '\\';
                text[at++] = 'x';
                b.TryFormat(text[at..], out var digits, "x2", CultureInfo.InvariantCulture);
                at += digits;
            }
        }

        if (cut)
        {
            text[at++] = TruncationMarker;
        }

        var escaped = new string(text[..at]);
        if (rented is not null)
        {
            System.Buffers.ArrayPool<char>.Shared.Return(rented);
        }

        return escaped;
    }

    /// <summary>Escaped text up to this long is written on the stack.</summary>
    private const int MaxStackText = 512;

    /// <summary>How many leading bytes escape within <paramref name="maxLength"/> (an escape is never split), and to how many characters.</summary>
    private static int Fitting(ReadOnlySpan<byte> bytes, int maxLength, out int escapedLength)
    {
        escapedLength = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            var width = IsPlain(bytes[i]) ? 1 : 4;
            if (escapedLength + width > maxLength)
            {
                return i;
            }

            escapedLength += width;
        }

        return bytes.Length;
    }

    /// <summary>
    /// How many leading bytes of <paramref name="bytes"/> decide its escape: <see cref="Escape(ReadOnlySpan{byte}, int)"/>
    /// of that prefix is the escape of the whole. It is the whole when it escapes within the bound, else up to and with
    /// the first byte that passes the bound (its cut and marker). What a caller keeps to escape later, then: a binary
    /// ClientHello's first 65 bytes (4 characters each), not its first 257.
    /// </summary>
    public static int DecidingLength(ReadOnlySpan<byte> bytes, int maxLength = DefaultMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        var fitting = Fitting(bytes, maxLength, out _);
        return fitting < bytes.Length ? fitting + 1 : fitting;
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
            builder.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
        }

        return true;
    }

    private static bool IsPlain(byte b) => b is >= 0x20 and <= 0x7E and not (byte)'\\';

    /// <summary>Every byte <see cref="IsPlain"/>.</summary>
    private static bool AllPlain(ReadOnlySpan<byte> bytes) => !bytes.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E) && !bytes.Contains((byte)'\\');

    /// <summary>Every char printable ASCII other than the backslash: each is one plain byte in UTF-8.</summary>
    private static bool AllPlain(ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange('\u0020', '\u007E') && !text.Contains('\\');
}
