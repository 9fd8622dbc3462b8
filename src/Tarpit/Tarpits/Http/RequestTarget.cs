namespace Tarpit.Tarpits.Http;

/// <summary>
/// Resolves a request-target the way nginx's URI parser does before it looks for a file (ngx_http_parse_complex_uri):
/// origin-form or absolute-form (RFC 9112 §3.2), query cut off, %XX decoded, slashes merged (<c>merge_slashes on</c>),
/// <c>.</c> and <c>..</c> segments applied; a <c>..</c> above the root is an invalid request (400), as is a target
/// that is neither a path nor an absolute URI. The site behind the tarpit is a default nginx web root holding one
/// <c>index.html</c>, served at <c>/</c> and <c>/index.html</c>: every other path is missing (404).
/// </summary>
internal static class RequestTarget
{
    /// <summary>False when nginx answers 400; otherwise whether the target is the index page.</summary>
    public static bool TryResolve(ReadOnlySpan<byte> target, out bool isIndex)
    {
        isIndex = false;
        if (target.IsEmpty)
        {
            return false;
        }

        if (target[0] != (byte)'/')
        {
            // absolute-form: scheme "://" authority [ path ]
            var scheme = target.IndexOf("://"u8);
            if (scheme <= 0 || !IsScheme(target[..scheme]))
            {
                return false;
            }

            var rest = target[(scheme + 3)..];
            var slash = rest.IndexOfAny((byte)'/', (byte)'?');
            target = slash < 0 ? "/"u8 : rest[slash] == (byte)'/' ? rest[slash..] : "/"u8;
        }

        var end = target.IndexOfAny((byte)'?', (byte)'#');
        if (end >= 0)
        {
            target = target[..end];
        }

        // Segments of the decoded path, walked without allocating: depth and whether we are at "/" or "/index.html".
        Span<byte> decoded = stackalloc byte[Math.Min(target.Length, HttpRequestParser.MaxLineLength)];
        var length = 0;
        for (var i = 0; i < target.Length && length < decoded.Length; i++)
        {
            var b = target[i];
            if (b == (byte)'%' && i + 2 < target.Length && IsHex(target[i + 1]) && IsHex(target[i + 2]))
            {
                b = (byte)((Hex(target[i + 1]) << 4) | Hex(target[i + 2]));
                i += 2;
            }
            else if (b == (byte)'%')
            {
                return false;
            }

            if (b == 0)
            {
                return false;
            }

            decoded[length++] = b;
        }

        var path = decoded[..length];
        var depth = 0;
        var indexAtDepth1 = false;
        var trailingSlash = true;
        foreach (var range in path.Split((byte)'/'))
        {
            var segment = path[range];
            if (segment.IsEmpty || segment.SequenceEqual("."u8))
            {
                trailingSlash = true;
                continue;
            }

            if (segment.SequenceEqual(".."u8))
            {
                if (depth == 0)
                {
                    return false;
                }

                depth--;
                indexAtDepth1 = false;
                trailingSlash = true;
                continue;
            }

            depth++;
            indexAtDepth1 = depth == 1 && segment.SequenceEqual("index.html"u8);
            trailingSlash = false;
        }

        isIndex = depth == 0 || (depth == 1 && indexAtDepth1 && !trailingSlash);
        return true;
    }

    private static bool IsScheme(ReadOnlySpan<byte> s)
    {
        foreach (var b in s)
        {
            if (!char.IsAsciiLetterOrDigit((char)b) && b is not ((byte)'+' or (byte)'-' or (byte)'.'))
            {
                return false;
            }
        }

        return char.IsAsciiLetter((char)s[0]);
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int Hex(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
