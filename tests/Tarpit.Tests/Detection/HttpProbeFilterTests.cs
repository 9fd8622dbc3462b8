using System.Net;
using Microsoft.Extensions.Time.Testing;
using Tarpit.Detection.Filters;

namespace Tarpit.Tests.Detection;

public sealed class HttpProbeFilterTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("192.0.2.7 - - [23/Nov/2026:10:00:00 +0000] \"GET /.env HTTP/1.1\" 404 153 \"-\" \"curl/8.0\"", "192.0.2.7")]
    [InlineData("192.0.2.8 - - [23/Nov/2026:10:00:00 +0000] \"POST /wp-login.php HTTP/1.1\" 200 4000 \"-\" \"Mozilla/5.0\"", "192.0.2.8")]
    [InlineData("2001:db8::9 - - [23/Nov/2026:10:00:00 +0100] \"GET /cgi-bin/luci/;stok=/locale HTTP/1.1\" 404 0 \"-\" \"-\"", "2001:db8::9")]
    [InlineData("192.0.2.10 - - [23/Nov/2026:10:00:00 +0000] \"GET /.git/config HTTP/1.1\" 403 0 \"-\" \"-\"", "192.0.2.10")]
    [InlineData("192.0.2.11 - - [23/Nov/2026:10:00:00 +0000] \"GET /phpMyAdmin/index.php HTTP/1.1\" 404 0 \"-\" \"-\"", "192.0.2.11")]
    [InlineData("192.0.2.12 - - [23/Nov/2026:10:00:00 +0000] \"POST /boaform/admin/formLogin HTTP/1.1\" 404 0 \"-\" \"-\"", "192.0.2.12")]
    [InlineData("example.org:443 192.0.2.13 - - [23/Nov/2026:10:00:00 +0000] \"GET /.env HTTP/1.1\" 404 0 \"-\" \"-\"", "192.0.2.13")]
    [InlineData("2001:db8::5:80 127.0.0.7 - - [10/Oct/2026:13:55:36 +0000] \"GET /.env HTTP/1.1\" 404 153", "127.0.0.7")]
    [InlineData("[2001:db8::5]:80 198.51.100.9 - - [10/Oct/2026:13:55:36 +0000] \"GET /.env HTTP/1.1\" 404 153", "198.51.100.9")]
    [InlineData("example.com:443 203.0.113.4 - - [10/Oct/2026:13:55:36 +0000] \"GET /.env HTTP/1.1\" 404 153", "203.0.113.4")]
    [InlineData("192.0.2.1:8080 203.0.113.5 - - [10/Oct/2026:13:55:36 +0000] \"GET /.env HTTP/1.1\" 404 153", "203.0.113.5")]
    [InlineData("2001:db8::7 - - [10/Oct/2026:13:55:36 +0000] \"GET /.env HTTP/1.1\" 404 153", "2001:db8::7")]
    [InlineData("2001:db8::7 2001:db8::8 - - [10/Oct/2026:13:55:36 +0000] \"GET /.env HTTP/1.1\" 404 153", "2001:db8::8")]
    [InlineData("12.34.56.78 - - [20/Jan/2015:19:53:28 +0100] \"GET //mysqladmin/scripts/setup.php HTTP/1.1\" 404 47 \"-\" \"-\" \"-\"", "12.34.56.78")]
    [InlineData("12.34.56.78 - - [20/Jan/2015:19:53:28 +0100] \"GET //phpMyAdmin-2.8.2.3/scripts/setup.php HTTP/1.1\" 404 47 \"-\" \"-\" \"-\"", "12.34.56.78")]
    [InlineData("12.34.56.78 - - [20/Jan/2015:19:53:28 +0100] \"GET /PHPMYADMIN/ HTTP/1.1\" 404 47 \"-\" \"-\" \"-\"", "12.34.56.78")]
    [InlineData("12.34.56.78 - - [20/Jan/2015:19:53:28 +0100] \"GET //admin/pma/scripts/setup.php HTTP/1.1\" 404 47 \"-\" \"-\"", "12.34.56.78")]
    [InlineData("12.34.56.78 - - [20/Jan/2015:19:53:28 +0100] \"POST /xmlrpc.php HTTP/1.1\" 405 47 \"-\" \"-\"", "12.34.56.78")]
    [InlineData("7.8.9.10 - root [20/Jan/2015:01:17:07 +0100] \"GET /cgi-bin/recent.cgi HTTP/1.1\" 404 162 \"-\" \"-\" \"-\"", "7.8.9.10")]
    [InlineData("2015/01/21 10:56:10 [error] 2833#0: *16336 open() \"/var/www/site/cgi-bin/php4\" failed (2: No such file or directory), client: 5.7.9.2, server: localhost, request: \"GET /cgi-bin/php4 HTTP/1.1\", host: \"1.2.3.4\"", "5.7.9.2")]
    [InlineData("2015/01/21 15:02:27 [error] 2833#0: *16813 \"/var/www/site/roundcube/\" is not found (2: No such file or directory), client: 5.7.9.2, server: localhost, request: \"GET /roundcube/ HTTP/1.1\", host: \"1.2.3.4\"", "5.7.9.2")]
    [InlineData("2026/11/23 10:00:00 [error] 12#12: *5 access forbidden by rule, client: 2001:db8::44, server: example.org, request: \"GET /private/ HTTP/1.1\", host: \"example.org\"", "2001:db8::44")]
    public void Requests_for_exploit_paths_are_offences_by_the_client(string line, string expected)
    {
        var match = Match(new HttpProbeFilter(aggressive: false), line);

        Assert.Equal(FilterVerdict.Offence, match.Verdict);
        Assert.Equal(IPAddress.Parse(expected), match.Address);
    }

    [Theory]
    [InlineData("192.0.2.20 - - [23/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 612 \"-\" \"Mozilla/5.0\"")]
    [InlineData("192.0.2.20 - - [23/Nov/2026:10:00:00 +0000] \"GET /missing.png HTTP/1.1\" 404 0 \"-\" \"Mozilla/5.0\"")]
    [InlineData("192.0.2.20 - - [23/Nov/2026:10:00:00 +0000] \"GET /environment HTTP/1.1\" 200 0 \"-\" \"-\"")]
    [InlineData("not an access log line")]
    [InlineData("2015/01/21 10:56:10 [error] 2833#0: *16336 open() \"/var/www/site/favicon.ico\" failed (2: No such file or directory), client: 5.7.9.2, server: localhost, request: \"GET /favicon.ico HTTP/1.1\", host: \"1.2.3.4\"")]
    [InlineData("")]
    public void Ordinary_requests_and_other_lines_are_not_offences(string line)
    {
        Assert.Equal(FilterVerdict.Missed, Match(new HttpProbeFilter(aggressive: false), line).Verdict);
    }

    [Fact]
    public void Aggressive_mode_counts_every_4xx_so_a_burst_of_them_bans()
    {
        const string line = "192.0.2.21 - - [23/Nov/2026:10:00:00 +0000] \"GET /missing.png HTTP/1.1\" 404 0 \"-\" \"-\"";

        var match = Match(new HttpProbeFilter(aggressive: true), line);

        Assert.Equal(FilterVerdict.Offence, match.Verdict);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), match.Timestamp);
    }

    [Fact]
    public void An_address_inside_the_request_never_replaces_the_client_address()
    {
        const string line = "192.0.2.22 - - [23/Nov/2026:10:00:00 +0000] \"GET /.env?x=\\\" 1.2.3.4 - - [x] \\\"GET HTTP/1.1\" 404 0 \"1.2.3.4\" \"1.2.3.4\"";

        var match = Match(new HttpProbeFilter(aggressive: false), line);

        Assert.Equal(IPAddress.Parse("192.0.2.22"), match.Address);
    }

    [Theory]
    [InlineData("2001:db8::5:80 - - [10/Oct/2026:13:55:36 +0000] \"GET /.env HTTP/1.1\" 404 153")]
    [InlineData("example.com:443 - - [10/Oct/2026:13:55:36 +0000] \"GET /.env HTTP/1.1\" 404 153")]
    [InlineData("[2001:db8::5]:80 - - [10/Oct/2026:13:55:36 +0000] \"GET /.env HTTP/1.1\" 404 153")]
    [InlineData("a:b:c::: - - [10/Oct/2026:13:55:36 +0000] \"GET /.env HTTP/1.1\" 404 153")]
    [InlineData("[2001:db8::5]:99999 198.51.100.9 - - [10/Oct/2026:13:55:36 +0000] \"GET /.env HTTP/1.1\" 404 153")]
    public void A_client_supplied_vhost_field_with_colons_never_charges_itself(string line)
    {
        var match = Match(new HttpProbeFilter(aggressive: false), line);

        Assert.Null(match.Address);
    }

    [Theory]
    [InlineData("2015/01/21 10:56:10 [error] 1#0: *1 open() \"/var/www/.env, client: 6.6.6.6, server: x\" failed (2: No such file or directory), client: 5.7.9.2, server: localhost, request: \"GET /.env HTTP/1.1\", host: \"h\"")]
    [InlineData("2015/01/21 10:56:10 [error] 1#0: *1 open() \"/var/www/.env\" failed (2: No such file or directory), client: 5.7.9.2, server: localhost, request: \"GET /.env, client: 6.6.6.6, HTTP/1.1\", host: \"h\"")]
    [InlineData("2015/01/21 10:56:10 [error] 1#0: *1 open() \"/var/www/.env\" failed (2: No such file or directory), client: example.com, server: localhost, request: \"GET /.env HTTP/1.1\", host: \"h\"")]
    public void An_nginx_error_line_with_a_second_client_field_or_no_address_charges_nobody(string line)
    {
        var match = Match(new HttpProbeFilter(aggressive: true), line);

        Assert.Equal(FilterVerdict.Ignored, match.Verdict);
        Assert.Null(match.Address);
    }

    private static FilterMatch Match(ILogFilter filter, string line) =>
        filter.Match(SyslogLine.Parse(line, Time.GetUtcNow(), Time));
}
