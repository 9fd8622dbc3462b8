namespace Tarpit.Tarpits.Http;

/// <summary>
/// The head nginx sends for a static HTML file (ngx_http_static_module): Content-Length, Last-Modified, a matching
/// ETag (<c>"{mtime:x}-{length:x}"</c>) and Accept-Ranges, with per-response variation in charset, optional headers
/// and file age.
/// </summary>
internal static class StaticFileHead
{
    /// <summary>Writes the complete head (ending with the empty line) of a 200 response.</summary>
    /// <param name="encoding">"gzip" or "deflate" for a compressed body, null for identity.</param>
    public static void Write(ref AsciiWriter w, string server, DateTimeOffset now, long contentLength, string? encoding, bool keepAlive, Random random)
    {
        NginxResponses.WriteStatusAndCore(ref w, "200 OK", server, now, random.Next(2) == 0 ? "text/html" : "text/html; charset=utf-8");
        WriteRest(ref w, now, contentLength, encoding, keepAlive, random);
    }

    /// <summary>Everything after Content-Type: for a head whose first lines were already sent.</summary>
    public static void WriteRest(ref AsciiWriter w, DateTimeOffset now, long contentLength, string? encoding, bool keepAlive, Random random)
    {
        var lastModified = now.AddSeconds(-random.Next(3_600, 400 * 86_400));
        lastModified = new DateTimeOffset(lastModified.UtcTicks - (lastModified.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        w.Append("Content-Length: "u8);
        w.Append(contentLength);
        w.EndLine();
        w.Append("Last-Modified: "u8);
        w.AppendHttpDate(lastModified);
        w.EndLine();
        w.AppendLine("Connection", keepAlive ? "keep-alive" : "close");
        w.Append("ETag: \""u8);
        w.AppendHex(lastModified.ToUnixTimeSeconds());
        w.Append("-"u8);
        w.AppendHex(contentLength);
        w.Append("\"\r\n"u8);
        if (encoding is not null)
        {
            w.AppendLine("Content-Encoding", encoding);
        }
        else
        {
            w.Append("Accept-Ranges: bytes\r\n"u8);
        }

        HeaderNoise.WriteOptional(ref w, random);
        w.EndLine();
    }
}
