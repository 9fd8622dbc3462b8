namespace Tarpit.Detection.Filters;

/// <summary>
/// One line of nginx's error log (<c>ngx_log_error_core</c>, <c>ngx_http_log_error_handler</c>):
/// <c>2015/01/21 10:56:10 [error] 2833#0: *16336 open() "/var/www/cgi-bin/php4" failed (2: No such file or directory),
/// client: 5.7.9.2, server: localhost, request: "GET /cgi-bin/php4 HTTP/1.1", host: "1.2.3.4"</c>.
/// </summary>
internal readonly ref struct NginxErrorLine
{
    public const string ForbiddenRule = "nginx: access forbidden by rule, client: <HOST>";
    public const string NotFoundRule = "nginx: open() … failed / is not found (2: No such file or directory), client: <HOST>";
    public const string AmbiguousClient = "nginx error line whose client field is not one plain IP address (or appears twice)";

    private const string ClientField = ", client: ";

    /// <summary><c>yyyy/MM/dd HH:mm:ss [</c>: the fixed start of nginx's error log lines.</summary>
    private const int PrefixLength = 21;

    private NginxErrorLine(ReadOnlySpan<char> text, ReadOnlySpan<char> client, bool forbidden, bool notFound)
    {
        Text = text;
        Client = client;
        Forbidden = forbidden;
        NotFound = notFound;
    }

    /// <summary>The message after the level and ids.</summary>
    public ReadOnlySpan<char> Text { get; }

    /// <summary>The address nginx wrote as the client, or empty when there is none or more than one client field.</summary>
    public ReadOnlySpan<char> Client { get; }

    public bool Forbidden { get; }

    public bool NotFound { get; }

    public static bool TryRead(ReadOnlySpan<char> line, out NginxErrorLine error)
    {
        error = default;
        if (line.Length <= PrefixLength || line[4] != '/' || line[7] != '/' || line[10] != ' ' || line[13] != ':' || line[16] != ':'
            || line[19] != ' ' || line[20] != '[' || !char.IsAsciiDigit(line[0]))
        {
            return false;
        }

        var levelEnd = line[PrefixLength..].IndexOf("] ");
        if (levelEnd < 0)
        {
            return false;
        }

        var text = line[(PrefixLength + levelEnd + 2)..];
        var forbidden = text.Contains("access forbidden by rule, client: ", StringComparison.Ordinal);
        var notFound = text.Contains(" (2: No such file or directory), client: ", StringComparison.Ordinal)
            && (text.Contains("open() \"", StringComparison.Ordinal) || text.Contains("\" is not found (2: ", StringComparison.Ordinal));
        if (!forbidden && !notFound)
        {
            return false;
        }

        var first = text.IndexOf(ClientField);
        var client = ReadOnlySpan<char>.Empty;
        if (first >= 0 && text[(first + ClientField.Length)..].IndexOf(ClientField) < 0)
        {
            var value = text[(first + ClientField.Length)..];
            var end = value.IndexOf(',');
            client = end >= 0 ? value[..end] : value;
        }

        error = new NginxErrorLine(text, client, forbidden, notFound);
        return true;
    }
}
