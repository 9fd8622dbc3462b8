using Tarpit.Text;

namespace Tarpit.Tarpits.Http;

/// <summary>
/// The bounds and grammar of an HTTP/1.x request head (RFC 9112 §2–§5), as strict as nginx. <see cref="HttpHeadReader"/>
/// reads a head byte by byte with them; a prefix that can no longer become a valid request is rejected at once (like
/// nginx's byte-wise parser), so a TLS ClientHello or binary garbage gets its 400 without waiting for a line end.
/// </summary>
internal static partial class HttpRequestParser
{
    /// <summary>
    /// nginx <c>large_client_header_buffers 4 8k</c>: a request line or a header line must fit one 8 KiB buffer (longer
    /// request line: 414; longer header line: 400). RFC 9112 §3 recommends supporting request lines of ≥ 8000 octets.
    /// </summary>
    public const int MaxLineLength = 8 * 1024;

    /// <summary>
    /// The whole head, including leading empty lines. nginx allows 4 × 8 KiB; we stop at 16 KiB to bound what a slow
    /// client can make us hold (real browsers' heads are well under 8 KiB).
    /// </summary>
    public const int MaxHeadLength = 16 * 1024;

    /// <summary>Header fields per request: Kestrel's <c>MaxRequestHeaderCount</c> default (RFC 9112 §5 sets no limit).</summary>
    public const int MaxHeaderCount = 100;

    /// <summary>Escaped lengths of what we keep: enough to recognise a scanner, bounded for events and logs.</summary>
    public const int MaxMethodText = 32;
    public const int MaxHostText = 128;
    public const int MaxCredentialText = 64;

    /// <summary>The head in one span (<see cref="HttpHeadReader"/> reads one that arrives in pieces).</summary>
    public static HttpParseResult Parse(ReadOnlySpan<byte> data)
    {
        var reader = new HttpHeadReader();
        var status = reader.Feed(data);
        reader.Release();
        return new(status, reader.Request);
    }

    /// <summary>RFC 9112 §3: request-line = method SP request-target SP HTTP-version, a whole line without its CR LF.</summary>
    internal static bool ParseRequestLine(ReadOnlySpan<byte> line, out RequestLine parsed)
    {
        parsed = default;
        var methodEnd = line.IndexOf((byte)' ');
        if (methodEnd < 0)
        {
            return false;
        }

        var method = line[..methodEnd];
        var rest = line[(methodEnd + 1)..];
        var targetEnd = rest.IndexOf((byte)' ');
        if (!IsMethod(method) || targetEnd < 0)
        {
            return false;
        }

        var target = rest[..targetEnd];
        if (!IsTarget(target))
        {
            return false;
        }

        // RFC 9112 §2.3: HTTP-version = "HTTP" "/" DIGIT "." DIGIT; only major version 1 is served (nginx: 505 for
        // the others).
        var version = rest[(targetEnd + 1)..];
        if (version.Length != "HTTP/0.0"u8.Length || !IsVersionPrefix(version))
        {
            return false;
        }

        var valid = RequestTarget.TryResolve(target, out var isIndex);
        parsed = new RequestLine(
            AttackerText.Escape(method, MaxMethodText),
            AttackerText.Escape(target),
            version[^1] == (byte)'0' ? 0 : 1,
            version[5] - '0',
            valid,
            isIndex);
        return true;
    }

    internal readonly record struct RequestLine(string Method, string Target, int MinorVersion, int MajorVersion, bool TargetValid, bool IsIndex);
}
