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
        var builder = new StringBuilder(Math.Min(bytes.Length, maxLength) + 8);
        foreach (var b in bytes)
        {
            var escapedLength = IsPlain(b) ? 1 : 4;
            if (builder.Length + escapedLength > maxLength)
            {
                return builder.Append(TruncationMarker).ToString();
            }

            if (IsPlain(b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append(@"\x").Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>Escapes a string that came from an attacker (e.g. a user name out of a log line), byte-wise as UTF-8.</summary>
    public static string Escape(string text, int maxLength = DefaultMaxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        var byteCount = Math.Min(Encoding.UTF8.GetByteCount(text), (maxLength * 4) + 4);
        var buffer = byteCount <= 1024 ? stackalloc byte[byteCount] : new byte[byteCount];
        var written = Encoding.UTF8.GetBytes(text.AsSpan(0, Math.Min(text.Length, byteCount)), buffer);
        var escaped = Escape(buffer[..written], maxLength);
        return written < Encoding.UTF8.GetByteCount(text) && !escaped.EndsWith(TruncationMarker)
            ? escaped + TruncationMarker
            : escaped;
    }

    private static bool IsPlain(byte b) => b is >= 0x20 and <= 0x7E and not (byte)'\\';
}
