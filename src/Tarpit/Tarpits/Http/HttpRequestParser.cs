using Tarpit.Text;

namespace Tarpit.Tarpits.Http;

/// <summary>
/// Parses an HTTP/1.x request head (RFC 9112 §2–§5) from the bytes received so far, bounded like nginx. Pure and
/// allocation-light: called again with the longer buffer when <see cref="HttpParseStatus.Incomplete"/>. A prefix that
/// can no longer become a valid request is rejected at once (like nginx's byte-wise parser), so a TLS ClientHello or
/// binary garbage gets its 400 without waiting for a line end.
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

    public static HttpParseResult Parse(ReadOnlySpan<byte> data)
    {
        var pos = 0;

        // RFC 9112 §2.2: a server SHOULD ignore at least one empty line (CRLF) received before the request-line.
        while (pos < data.Length && data[pos] is (byte)'\r' or (byte)'\n')
        {
            pos++;
        }

        if (pos > MaxHeadLength)
        {
            return new(HttpParseStatus.HeaderTooLarge);
        }

        if (!TryTakeLine(data, ref pos, out var requestLine))
        {
            var partial = data[pos..];
            if (partial.Length > MaxLineLength)
            {
                return new(HttpParseStatus.UriTooLong);
            }

            return new(ParseRequestLine(partial, complete: false, out _) ? HttpParseStatus.Incomplete : HttpParseStatus.BadRequest);
        }

        if (requestLine.Length > MaxLineLength)
        {
            return new(HttpParseStatus.UriTooLong);
        }

        if (!ParseRequestLine(requestLine, complete: true, out var line))
        {
            return new(HttpParseStatus.BadRequest);
        }

        // nginx parses the target before the version: "PRI * HTTP/2.0" is a 400, "GET / HTTP/2.0" a 505.
        if (!line.TargetValid)
        {
            return new(HttpParseStatus.BadRequest);
        }

        if (line.MajorVersion != 1)
        {
            return new(HttpParseStatus.VersionNotSupported);
        }

        var fields = new HeaderFields();
        for (var count = 0; ; count++)
        {
            if (!TryTakeLine(data, ref pos, out var fieldLine))
            {
                var partial = data[pos..];
                if (partial.Length > MaxLineLength || data.Length > MaxHeadLength)
                {
                    return new(HttpParseStatus.HeaderTooLarge);
                }

                return new(IsFieldLinePrefix(partial) ? HttpParseStatus.Incomplete : HttpParseStatus.BadRequest);
            }

            if (fieldLine.Length > MaxLineLength || pos > MaxHeadLength)
            {
                return new(HttpParseStatus.HeaderTooLarge);
            }

            if (fieldLine.IsEmpty)
            {
                break;
            }

            if (count >= MaxHeaderCount)
            {
                return new(HttpParseStatus.HeaderTooLarge);
            }

            if (!fields.Add(fieldLine))
            {
                return new(HttpParseStatus.BadRequest);
            }
        }

        // RFC 9112 §3.2: a server MUST respond 400 to an HTTP/1.1 request without a Host header field.
        if (line.MinorVersion >= 1 && fields.Host is null)
        {
            return new(HttpParseStatus.BadRequest);
        }

        // RFC 9112 §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive". A request body is never
        // read, so such a connection is not reused (its body would be taken for the next request).
        var keepAlive = fields.Close ? false : line.MinorVersion >= 1 || fields.KeepAlive;
        keepAlive &= !fields.HasBody;

        return new(HttpParseStatus.Complete, new HttpRequest(
            line.Method,
            line.Target,
            line.MinorVersion,
            fields.Host,
            fields.UserAgent,
            fields.Codings,
            fields.User,
            fields.Password,
            keepAlive,
            pos,
            line.IsIndex,
            fields.Range));
    }

    /// <summary>
    /// Takes the next line ending in LF (RFC 9112 §2.2 allows recognising a bare LF); strips one CR before it. A CR
    /// anywhere else stays in the line and makes it invalid.
    /// </summary>
    private static bool TryTakeLine(ReadOnlySpan<byte> data, ref int pos, out ReadOnlySpan<byte> line)
    {
        var lf = data[pos..].IndexOf((byte)'\n');
        if (lf < 0)
        {
            line = default;
            return false;
        }

        line = data.Slice(pos, lf);
        if (line.Length > 0 && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        pos += lf + 1;
        return true;
    }

    /// <summary>RFC 9112 §3: request-line = method SP request-target SP HTTP-version; checks a prefix when not complete.</summary>
    private static bool ParseRequestLine(ReadOnlySpan<byte> line, bool complete, out RequestLine parsed)
    {
        parsed = default;
        if (!complete)
        {
            line = StripPartialCr(line);
        }

        var methodEnd = line.IndexOf((byte)' ');
        if (methodEnd < 0)
        {
            return !complete && IsMethod(line, allowEmpty: true);
        }

        var method = line[..methodEnd];
        var rest = line[(methodEnd + 1)..];
        var targetEnd = rest.IndexOf((byte)' ');
        if (!IsMethod(method))
        {
            return false;
        }

        if (targetEnd < 0)
        {
            return !complete && IsTarget(rest, allowEmpty: true);
        }

        var target = rest[..targetEnd];
        if (!IsTarget(target))
        {
            return false;
        }

        // RFC 9112 §2.3: HTTP-version = "HTTP" "/" DIGIT "." DIGIT; only major version 1 is served (nginx: 505 for
        // the others).
        var version = rest[(targetEnd + 1)..];
        ReadOnlySpan<byte> prefix = "HTTP/"u8;
        if (!complete && version.Length < prefix.Length + 3)
        {
            return IsVersionPrefix(version);
        }

        if (version.Length != prefix.Length + 3 || !IsVersionPrefix(version))
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

    private static bool IsFieldLinePrefix(ReadOnlySpan<byte> partial)
    {
        partial = StripPartialCr(partial);
        var colon = partial.IndexOf((byte)':');
        if (colon < 0)
        {
            return IsToken(partial, allowEmpty: true);
        }

        return colon > 0 && IsToken(partial[..colon]) && IsFieldValue(partial[(colon + 1)..]);
    }

    /// <summary>A line whose CR has arrived but not yet its LF.</summary>
    private static ReadOnlySpan<byte> StripPartialCr(ReadOnlySpan<byte> partial) =>
        partial.Length > 0 && partial[^1] == (byte)'\r' ? partial[..^1] : partial;

    private readonly record struct RequestLine(string Method, string Target, int MinorVersion, int MajorVersion, bool TargetValid, bool IsIndex);
}
