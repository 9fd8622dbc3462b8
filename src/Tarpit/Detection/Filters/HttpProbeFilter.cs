using System.Buffers;
using Tarpit.Config;
using Tarpit.Net;

namespace Tarpit.Detection.Filters;

/// <summary>
/// The built-in <c>http-probe</c> filter for nginx/Apache combined access logs
/// (<c>192.0.2.7 - - [23/Nov/2026:10:00:00 +0000] "GET /.env HTTP/1.1" 404 153 "-" "curl/8.0"</c>): a request for a
/// well-known exploit path is an offence whatever the status; with <c>mode = "aggressive"</c> every 4xx answer is one
/// too, so a burst of 4xx (<c>max_retry</c> within <c>find_time</c>) bans a scanner. The client address is the first
/// field, written by the server; the request line is attacker text and only searched, never trusted for addresses.
/// Sites that really serve WordPress or phpMyAdmin should not use this filter on those vhosts.
/// </summary>
internal sealed class HttpProbeFilter(bool aggressive) : ILogFilter
{
    /// <summary>Paths no ordinary site serves but every scanner asks for (case-insensitive, anywhere in the target).</summary>
    public static readonly IReadOnlyList<string> ExploitPaths =
    [
        "/.env", "/.git/", "/.aws/", "/.ssh/", "/.htpasswd", "/wp-login.php", "/xmlrpc.php", "/wp-admin", "/wp-includes",
        "/cgi-bin/", "/phpmyadmin", "/pma/", "/myadmin", "/boaform", "/hnap1", "/vendor/phpunit", "/actuator/",
        "/solr/admin", "/manager/html", "/console/login", "/owa/auth", "/autodiscover/", "/config.json", "/server-status",
        "/shell?", "/setup.cgi", "/goform/", "/cdn-cgi/bm/", "../", "${jndi:", "/etc/passwd",
        // fail2ban's botsearch-common.conf: mysqladmin, WordPress sign-up, webmail finders
        "/mysqladmin", "/wp-signup.php", "/roundcube/", "/horde/", "/xampp/",
    ];

    private static readonly SearchValues<string> ExploitPathSearch = SearchValues.Create([.. ExploitPaths], StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<char> AddressChars = SearchValues.Create("0123456789abcdefABCDEF:.");

    /// <summary>RFC 1123 §2.1 host names (letters, digits, <c>-</c>, <c>.</c>), plus the <c>_</c> real vhosts use.</summary>
    private static readonly SearchValues<char> HostNameChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._");

    /// <summary>RFC 793 §3.1: a port is 16 bits, at most five decimal digits.</summary>
    private const int MaxPortDigits = 5;

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    public string Name => FilterNames.HttpProbe;

    public FilterMatch Match(in LogView line)
    {
        if (!TrySplit(line.Line, out var client, out var time, out var request, out var status))
        {
            return NginxErrorLine.TryRead(line.Line, out var error) ? MatchError(error, line) : FilterMatch.Missed;
        }

        var probe = request.IndexOfAny(ExploitPathSearch) >= 0;
        var clientError = aggressive && status[0] == '4';
        if (!probe && !clientError)
        {
            return FilterMatch.Missed;
        }

        return LogAddress.TryParse(client, out var address)
            ? FilterMatch.Offence(address, TryParseTime(time, out var t) ? t : line.Timestamp)
            : FilterMatch.Ignored;
    }

    public bool LooksRelevant(in LogView line) =>
        (TrySplit(line.Line, out _, out _, out _, out var status) && status[0] is '4' or '5') || NginxErrorLine.TryRead(line.Line, out _);

    /// <summary>
    /// nginx's error log: <c>access forbidden by rule</c> is an offence (a deny rule was hit); a missing file
    /// (<c>open() … failed (2: …)</c>, <c>… is not found (2: …)</c>) one when it is an exploit path, or in aggressive
    /// mode. The client is the one nginx wrote after <c>, client: </c>; a line with more than one such field (the
    /// decoded path or the request line can hold one) charges nobody.
    /// </summary>
    private FilterMatch MatchError(in NginxErrorLine error, in LogView line)
    {
        var probe = error.Text.IndexOfAny(ExploitPathSearch) >= 0;
        if (!error.Forbidden && !(error.NotFound && (probe || aggressive)))
        {
            return FilterMatch.Missed;
        }

        return error.Client.IsEmpty ? FilterMatch.IgnoredBecause(NginxErrorLine.AmbiguousClient)
            : LogAddress.TryParse(error.Client, out var address) ? FilterMatch.Offence(address, line.Timestamp, error.Forbidden ? NginxErrorLine.ForbiddenRule : NginxErrorLine.NotFoundRule)
            : FilterMatch.IgnoredBecause(NginxErrorLine.AmbiguousClient);
    }

    /// <summary><c>client ident user [time] "request" status …</c>; the request may contain escaped quotes (<c>\"</c>).</summary>
    private static bool TrySplit(ReadOnlySpan<char> line, out ReadOnlySpan<char> client, out ReadOnlySpan<char> time, out ReadOnlySpan<char> request, out ReadOnlySpan<char> status)
    {
        client = time = request = status = default;
        var space = line.IndexOf(' ');
        var open = line.IndexOf(" [");
        if (space <= 0 || open < space)
        {
            return false;
        }

        var second = line[(space + 1)..].IndexOf(' ') is > 0 and var next ? line.Slice(space + 1, next) : default;
        client = ClientField(line[..space], second);

        var close = line[(open + 2)..].IndexOf("] \"");
        if (close < 0)
        {
            return false;
        }

        time = line.Slice(open + 2, close);
        var requestStart = open + 2 + close + 3;
        var i = requestStart;
        while (i < line.Length && line[i] != '"')
        {
            i += line[i] == '\\' ? 2 : 1;
        }

        if (i + 5 > line.Length || line[i + 1] != ' ' || !char.IsAsciiDigit(line[i + 2]) || !char.IsAsciiDigit(line[i + 3]) || !char.IsAsciiDigit(line[i + 4]))
        {
            return false;
        }

        request = line[requestStart..i];
        status = line.Slice(i + 2, 3);
        return true;
    }

    /// <summary>
    /// Which of the first two fields names the client (an empty span: neither may be trusted). A first field without a
    /// colon is the client (<c>%h</c>) unless it is a host name (vhost_combined's <c>%v</c>). With colons it may be
    /// Apache's <c>%V:%p</c>, whose host comes from the client's <c>Host</c> header and so is attacker text, even an IPv6
    /// literal without brackets (<c>2001:db8::5:80</c>): it is a vhost only as <c>host:port</c>, and then the second
    /// field is the client; an IPv6 address followed by another address charges the second, never the first; an IPv6
    /// address followed by <c>-</c> (combined) is the client unless it also reads as an IPv6 address and a port.
    /// </summary>
    private static ReadOnlySpan<char> ClientField(ReadOnlySpan<char> first, ReadOnlySpan<char> second)
    {
        if (!first.Contains(':'))
        {
            return first.IndexOfAnyExcept(AddressChars) >= 0 ? second : first;
        }

        var secondIsAddress = LogAddress.TryParse(second, out _);
        if (!LogAddress.TryParse(first, out _))
        {
            return IsHostPort(first) && secondIsAddress ? second : default;
        }

        if (secondIsAddress)
        {
            return second;
        }

        var lastColon = first.LastIndexOf(':');
        return IsPort(first[(lastColon + 1)..]) && LogAddress.TryParse(first[..lastColon], out _) ? default : first;
    }

    /// <summary>
    /// RFC 3986 §3.2.2–3.2.3: <c>host:port</c>, where host is a registered name or IPv4 address (no colon) or an IPv6
    /// literal in brackets (<c>[2001:db8::5]:80</c>).
    /// </summary>
    private static bool IsHostPort(ReadOnlySpan<char> field)
    {
        var lastColon = field.LastIndexOf(':');
        if (lastColon <= 0 || !IsPort(field[(lastColon + 1)..]))
        {
            return false;
        }

        var host = field[..lastColon];
        return host[0] == '['
            ? host.Length > 2 && host[^1] == ']' && host[1..^1].Contains(':') && LogAddress.TryParse(host[1..^1], out _)
            : host.IndexOfAnyExcept(HostNameChars) < 0;
    }

    /// <summary>RFC 3986 §3.2.3 and RFC 793 §3.1: a port is decimal digits naming 0–65535.</summary>
    private static bool IsPort(ReadOnlySpan<char> text) =>
        text.Length is > 0 and <= MaxPortDigits && TryNumber(text, out var port) && port <= ushort.MaxValue;

    /// <summary><c>23/Nov/2026:10:00:00 +0000</c> (the common log format's <c>%t</c>).</summary>
    private static bool TryParseTime(ReadOnlySpan<char> s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length != 26 || s[2] != '/' || s[6] != '/' || s[11] != ':' || s[20] != ' ')
        {
            return false;
        }

        var month = 0;
        for (var m = 0; m < Months.Length && month == 0; m++)
        {
            month = s.Slice(3, 3).SequenceEqual(Months[m]) ? m + 1 : 0;
        }

        if (month == 0
            || !TryNumber(s[..2], out var day) || !TryNumber(s.Slice(7, 4), out var year)
            || !TryNumber(s.Slice(12, 2), out var hour) || !TryNumber(s.Slice(15, 2), out var minute)
            || !TryNumber(s.Slice(18, 2), out var second)
            || !TryNumber(s.Slice(22, 2), out var offsetHours) || !TryNumber(s.Slice(24, 2), out var offsetMinutes)
            || s[21] is not ('+' or '-'))
        {
            return false;
        }

        try
        {
            var offset = new TimeSpan(offsetHours, offsetMinutes, 0) * (s[21] == '-' ? -1 : 1);
            value = new DateTimeOffset(year, month, day, hour, minute, second, offset);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    private static bool TryNumber(ReadOnlySpan<char> s, out int value) =>
        int.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value);
}
