using System.Text;

namespace Tarpit.Tarpits.Http;

/// <summary>The character classes of the request head (RFC 9110, RFC 9112), as strict as nginx's parser.</summary>
internal static partial class HttpRequestParser
{
    /// <summary>Byte <paramref name="index"/> (0–7) of "HTTP/" DIGIT "." DIGIT.</summary>
    internal static bool IsVersionByte(int index, byte b) =>
        "HTTP/0.0"u8[index] == (byte)'0' ? char.IsAsciiDigit((char)b) : b == "HTTP/0.0"u8[index];

    /// <summary>nginx's method parser takes only upper-case letters, '_' and '-'.</summary>
    internal static bool IsMethodByte(byte b) => b is (>= (byte)'A' and <= (byte)'Z') or (byte)'_' or (byte)'-';

    /// <summary>RFC 9112 §3.2: no whitespace or control bytes in the request-target (obs-text is let through).</summary>
    internal static bool IsTargetByte(byte b) => b is > 0x20 and not 0x7F;

    /// <summary>RFC 9110 §5.5: VCHAR, obs-text, SP and HTAB.</summary>
    internal static bool IsFieldValueByte(byte b) => b is not ((< 0x20 and not (byte)'\t') or 0x7F);

    /// <summary>A prefix of "HTTP/" DIGIT "." DIGIT.</summary>
    private static bool IsVersionPrefix(ReadOnlySpan<byte> version)
    {
        ReadOnlySpan<byte> template = "HTTP/0.0"u8;
        for (var i = 0; i < version.Length; i++)
        {
            var ok = template[i] == (byte)'0' ? char.IsAsciiDigit((char)version[i]) : version[i] == template[i];
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>nginx's method parser takes only upper-case letters, '_' and '-' (a lower-case "get" is a 400).</summary>
    private static bool IsMethod(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var b in s)
        {
            if (!IsMethodByte(b))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>RFC 9110 §5.6.2: token = 1*tchar.</summary>
    internal static bool IsToken(ReadOnlySpan<byte> s, bool allowEmpty = false)
    {
        if (s.IsEmpty)
        {
            return allowEmpty;
        }

        foreach (var b in s)
        {
            if (!IsTchar(b))
            {
                return false;
            }
        }

        return true;
    }

    internal static bool IsTchar(byte b) =>
        b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'!' or (byte)'#' or (byte)'$' or (byte)'%' or (byte)'&' or (byte)'\'' or (byte)'*' or (byte)'+'
            or (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~';

    /// <summary>RFC 9112 §3.2: the request-target has no whitespace or control bytes (nginx also lets obs-text through).</summary>
    private static bool IsTarget(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var b in s)
        {
            if (!IsTargetByte(b))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>RFC 9110 §5.5: field-value bytes are VCHAR, obs-text, SP and HTAB; other controls are rejected.</summary>
    internal static bool IsFieldValue(ReadOnlySpan<byte> s)
    {
        foreach (var b in s)
        {
            if (!IsFieldValueByte(b))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Removes optional whitespace (RFC 9110 §5.6.3: OWS = *( SP / HTAB )) at both ends.</summary>
    internal static ReadOnlySpan<byte> TrimOws(ReadOnlySpan<byte> s) => s.Trim(" \t"u8);

    internal static bool NameIs(ReadOnlySpan<byte> name, ReadOnlySpan<byte> expected) => Ascii.EqualsIgnoreCase(name, expected);
}
