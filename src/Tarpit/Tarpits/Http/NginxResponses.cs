namespace Tarpit.Tarpits.Http;

/// <summary>
/// Byte-for-byte nginx 1.22 responses (status line, header order, error pages with the <c>server_tokens</c> tail), so
/// <c>nmap -sV</c> matches <c>Server: nginx/x.y.z</c> and an error page reads like the real thing.
/// </summary>
internal static class NginxResponses
{
    public const string DefaultServer = "nginx/1.22.1";

    /// <summary>The status line and the headers nginx always sends first, in its order (Server, Date, Content-Type).</summary>
    public static void WriteStatusAndCore(ref AsciiWriter w, string status, string server, DateTimeOffset now, string contentType)
    {
        w.Append("HTTP/1.1 ");
        w.Append(status);
        w.EndLine();
        w.AppendLine("Server", server);
        w.Append("Date: "u8);
        w.AppendHttpDate(now);
        w.EndLine();
        w.AppendLine("Content-Type", contentType);
    }

    /// <summary>The body of an nginx error page (ngx_http_special_response.c), ending with the server tail.</summary>
    public static string ErrorBody(HttpErrorPage page, string server) => page switch
    {
        HttpErrorPage.BadRequest => Page("400 Bad Request", server),
        HttpErrorPage.UriTooLong => Page("414 Request-URI Too Large", server),
        HttpErrorPage.AuthorizationRequired => Page("401 Authorization Required", server),
        HttpErrorPage.NotFound => Page("404 Not Found", server),
        HttpErrorPage.NotAllowed => Page("405 Not Allowed", server),
        HttpErrorPage.RangeNotSatisfiable => Page("416 Requested Range Not Satisfiable", server),
        HttpErrorPage.VersionNotSupported => Page("505 HTTP Version Not Supported", server),
        HttpErrorPage.HeaderTooLarge =>
            "<html>\r\n<head><title>400 Request Header Or Cookie Too Large</title></head>\r\n<body>\r\n" +
            "<center><h1>400 Bad Request</h1></center>\r\n<center>Request Header Or Cookie Too Large</center>\r\n" +
            Tail(server),
        HttpErrorPage.PlainHttpToHttps =>
            "<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n<body>\r\n" +
            "<center><h1>400 Bad Request</h1></center>\r\n<center>The plain HTTP request was sent to HTTPS port</center>\r\n" +
            Tail(server),
        _ => throw new ArgumentOutOfRangeException(nameof(page), page, "Unknown error page."),
    };

    public static string StatusLine(HttpErrorPage page) => page switch
    {
        HttpErrorPage.BadRequest or HttpErrorPage.HeaderTooLarge or HttpErrorPage.PlainHttpToHttps => "400 Bad Request",
        HttpErrorPage.UriTooLong => "414 Request-URI Too Large",
        HttpErrorPage.AuthorizationRequired => "401 Unauthorized",
        HttpErrorPage.NotFound => "404 Not Found",
        HttpErrorPage.NotAllowed => "405 Not Allowed",
        HttpErrorPage.RangeNotSatisfiable => "416 Requested Range Not Satisfiable",
        HttpErrorPage.VersionNotSupported => "505 HTTP Version Not Supported",
        _ => throw new ArgumentOutOfRangeException(nameof(page), page, "Unknown error page."),
    };

    /// <summary>A rejected request: nginx answers and closes (<c>Connection: close</c>).</summary>
    public static int WriteError(Span<byte> destination, HttpErrorPage page, string server, DateTimeOffset now)
    {
        var body = ErrorBody(page, server);
        var w = new AsciiWriter(destination);
        WriteStatusAndCore(ref w, StatusLine(page), server, now, "text/html");
        w.Append("Content-Length: "u8);
        w.Append(body.Length);
        w.EndLine();
        w.AppendLine("Connection", "close");
        w.EndLine();
        w.Append(body);
        return w.Length;
    }

    private static string Page(string title, string server) =>
        "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title + "</h1></center>\r\n" + Tail(server);

    private static string Tail(string server) => "<hr><center>" + server + "</center>\r\n</body>\r\n</html>\r\n";
}
