namespace Tarpit.Tarpits.Http;

/// <summary>
/// The head nginx sends for a static HTML file (ngx_http_static_module, ngx_http_range_filter_module): Content-Length,
/// Last-Modified, a matching ETag (<c>"{mtime:x}-{length:x}"</c>), Accept-Ranges, or for a range 206 and Content-Range.
/// Content type, modification time and optional headers are the tarpit's, fixed for the life of the process
/// (<see cref="HttpTarpit.PageModified"/>), so a path's validators are the same on every request.
/// </summary>
internal static class StaticFileHead
{
    /// <summary>Writes the complete head (ending with the empty line) of a 200 response, or of a 206 for <paramref name="range"/>.</summary>
    /// <param name="length">The whole file's length.</param>
    /// <param name="range">The inclusive positions sent (206), or null (200).</param>
    /// <param name="encoding">"gzip" or "deflate" for a compressed body, null for identity.</param>
    public static void Write(ref AsciiWriter w, HttpTarpit tarpit, DateTimeOffset now, long length, (long Start, long End)? range, string? encoding, bool keepAlive)
    {
        ArgumentNullException.ThrowIfNull(tarpit);
        NginxResponses.WriteStatusAndCore(ref w, range is null ? "200 OK" : "206 Partial Content", tarpit.Server, now, tarpit.ContentType);
        var lastModified = tarpit.PageModified(now);
        w.Append("Content-Length: "u8);
        w.Append(range is var (start, end) ? end - start + 1 : length);
        w.EndLine();
        w.Append("Last-Modified: "u8);
        w.AppendHttpDate(lastModified);
        w.EndLine();
        w.AppendLine("Connection", keepAlive ? "keep-alive" : "close");
        w.Append("ETag: \""u8);
        w.AppendHex(lastModified.ToUnixTimeSeconds());
        w.Append("-"u8);
        w.AppendHex(length);
        w.Append("\"\r\n"u8);
        if (range is var (first, last))
        {
            w.Append("Content-Range: bytes "u8);
            w.Append(first);
            w.Append("-"u8);
            w.Append(last);
            w.Append("/"u8);
            w.Append(length);
            w.EndLine();
        }
        else if (encoding is not null)
        {
            w.AppendLine("Content-Encoding", encoding);
        }
        else
        {
            w.Append("Accept-Ranges: bytes\r\n"u8);
        }

        HeaderNoise.WriteOptional(ref w, new Random(tarpit.Seed));
        w.EndLine();
    }
}
