using System.Text;
using Tarpit.Tarpits.Http;

namespace Tarpit.Tests.Tarpits.Http;

public sealed class HttpRequestParserTests
{
    private const string Curl = "GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n";

    private static HttpParseResult Parse(string text) => HttpRequestParser.Parse(Encoding.Latin1.GetBytes(text));

    [Fact]
    public void A_curl_request_is_complete_with_method_path_host_and_user_agent()
    {
        var result = Parse(Curl);

        Assert.Equal(HttpParseStatus.Complete, result.Status);
        var request = result.Request!;
        Assert.Equal("GET", request.Method);
        Assert.Equal("/index.html", request.Target);
        Assert.Equal("127.0.0.1:8080", request.Host);
        Assert.Equal("curl/7.88.1", request.UserAgent);
        Assert.Equal(1, request.MinorVersion);
        Assert.True(request.KeepAlive);
        Assert.Equal(Curl.Length, request.HeadLength);
    }

    [Fact]
    public void Nmap_get_request_over_http_1_0_is_complete_without_host_and_not_kept_alive()
    {
        var result = Parse("GET / HTTP/1.0\r\n\r\n");

        Assert.Equal(HttpParseStatus.Complete, result.Status);
        Assert.Equal(0, result.Request!.MinorVersion);
        Assert.Null(result.Request.Host);
        Assert.False(result.Request.KeepAlive);
    }

    [Theory]
    [InlineData("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false)]
    [InlineData("POST /login HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n", false)]
    [InlineData("POST /login HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.1\nHost: a\n\n", true)]
    [InlineData("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", true)]
    public void Keep_alive_follows_the_version_connection_options_and_body(string text, bool keepAlive)
    {
        var result = Parse(text);

        Assert.Equal(HttpParseStatus.Complete, result.Status);
        Assert.Equal(keepAlive, result.Request!.KeepAlive);
    }

    [Theory]
    [InlineData("G")]
    [InlineData("GET")]
    [InlineData("GET /")]
    [InlineData("GET / HT")]
    [InlineData("GET / HTTP/1.1")]
    [InlineData("GET / HTTP/1.1\r")]
    [InlineData("GET / HTTP/1.1\r\nHost: exa")]
    [InlineData("GET / HTTP/1.1\r\nHost: example\r")]
    [InlineData("GET / HTTP/1.1\r\nHost: example\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: example\r\n\r")]
    public void A_valid_prefix_is_incomplete(string text)
    {
        Assert.Equal(HttpParseStatus.Incomplete, Parse(text).Status);
    }

    [Theory]
    [InlineData("\u0016\u0003\u0001\u0002\u0000\u0001")]
    [InlineData("SSH-2.0-OpenSSH_9.2\r\n")]
    [InlineData("GET  / HTTP/1.1\r\n")]
    [InlineData("get / HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /../etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /a/%2e%2e/../x HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET / FTP/1.1")]
    [InlineData("GET /\u0001 HTTP/1.1")]
    [InlineData("GET / HTTP/1.1\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost : a\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\u0000b\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nno colon here\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHo\u0001")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")]
    public void Garbage_and_malformed_requests_are_bad_requests(string text)
    {
        Assert.Equal(HttpParseStatus.BadRequest, Parse(text).Status);
    }

    [Theory]
    [InlineData("GET / HTTP/2.0\r\n")]
    [InlineData("GET / HTTP/3.0\r\nHost: a\r\n\r\n")]
    public void A_text_request_line_of_another_major_version_is_version_not_supported(string text) =>
        Assert.Equal(HttpParseStatus.VersionNotSupported, Parse(text).Status);

    [Theory]
    [InlineData("/", true)]
    [InlineData("/index.html", true)]
    [InlineData("/?a=b", true)]
    [InlineData("//index.html", true)]
    [InlineData("/a/../index.html", true)]
    [InlineData("/%69ndex.html", true)]
    [InlineData("http://example.org/index.html", true)]
    [InlineData("http://example.org", true)]
    [InlineData("/index.html/", false)]
    [InlineData("/wp-login.php", false)]
    [InlineData("/a/", false)]
    public void Targets_resolve_like_nginx_to_the_one_page_or_a_missing_path(string target, bool isIndex)
    {
        var request = Parse($"GET {target} HTTP/1.1\r\nHost: a\r\n\r\n").Request!;

        Assert.Equal(isIndex, request.IsIndex);
    }

    [Theory]
    [InlineData("bytes=0-9", 0L, 9L)]
    [InlineData("bytes=5-", 5L, 99L)]
    [InlineData("bytes=-10", 90L, 99L)]
    [InlineData("bytes=90-500", 90L, 99L)]
    public void A_single_range_resolves_within_the_length(string header, long start, long end)
    {
        var request = Parse($"GET / HTTP/1.1\r\nHost: a\r\nRange: {header}\r\n\r\n").Request!;

        Assert.Equal((start, end), request.Range!.Value.Resolve(100));
    }

    [Theory]
    [InlineData("bytes=100-")]
    [InlineData("bytes=-0")]
    public void A_range_past_the_end_is_not_satisfiable(string header) =>
        Assert.Null(Parse($"GET / HTTP/1.1\r\nHost: a\r\nRange: {header}\r\n\r\n").Request!.Range!.Value.Resolve(100));

    [Theory]
    [InlineData("bytes=0-1,5-6")]
    [InlineData("items=0-1")]
    [InlineData("bytes=5-1")]
    [InlineData("bytes=x-")]
    public void Ranges_nginx_would_not_serve_as_one_range_are_not_kept(string header) =>
        Assert.Null(Parse($"GET / HTTP/1.1\r\nHost: a\r\nRange: {header}\r\n\r\n").Request!.Range);

    [Fact]
    public void A_request_line_of_exactly_the_limit_is_accepted_and_one_byte_more_is_uri_too_long()
    {
        var fixedPart = "GET  HTTP/1.0".Length;
        var atLimit = "GET /" + new string('a', HttpRequestParser.MaxLineLength - fixedPart - 1) + " HTTP/1.0\r\n\r\n";
        var overLimit = "GET /" + new string('a', HttpRequestParser.MaxLineLength - fixedPart) + " HTTP/1.0\r\n\r\n";

        Assert.Equal(HttpParseStatus.Complete, Parse(atLimit).Status);
        Assert.Equal(HttpParseStatus.UriTooLong, Parse(overLimit).Status);
        Assert.Equal(HttpParseStatus.UriTooLong, Parse(overLimit[..(HttpRequestParser.MaxLineLength + 1)]).Status);
    }

    [Fact]
    public void A_header_line_over_the_limit_is_too_large()
    {
        var atLimit = "GET / HTTP/1.0\r\nX: " + new string('v', HttpRequestParser.MaxLineLength - 3) + "\r\n\r\n";
        var overLimit = "GET / HTTP/1.0\r\nX: " + new string('v', HttpRequestParser.MaxLineLength - 2) + "\r\n\r\n";

        Assert.Equal(HttpParseStatus.Complete, Parse(atLimit).Status);
        Assert.Equal(HttpParseStatus.HeaderTooLarge, Parse(overLimit).Status);
    }

    [Fact]
    public void The_header_count_limit_is_inclusive()
    {
        string Request(int headers) => "GET / HTTP/1.0\r\n" + string.Concat(Enumerable.Range(0, headers).Select(i => $"X-{i}: v\r\n")) + "\r\n";

        Assert.Equal(HttpParseStatus.Complete, Parse(Request(HttpRequestParser.MaxHeaderCount)).Status);
        Assert.Equal(HttpParseStatus.HeaderTooLarge, Parse(Request(HttpRequestParser.MaxHeaderCount + 1)).Status);
    }

    [Fact]
    public void A_head_over_the_total_limit_is_too_large_even_before_it_ends()
    {
        var line = "X-Pad: " + new string('p', 1000) + "\r\n";
        var text = "GET / HTTP/1.0\r\n" + string.Concat(Enumerable.Repeat(line, (HttpRequestParser.MaxHeadLength / line.Length) + 1));

        Assert.Equal(HttpParseStatus.HeaderTooLarge, Parse(text).Status);
        Assert.Equal(HttpParseStatus.HeaderTooLarge, Parse(text + "\r\n").Status);
    }

    [Fact]
    public void Attacker_bytes_in_the_path_and_user_agent_are_escaped()
    {
        var result = Parse("GET /\u00ff\\x HTTP/1.1\r\nHost: a\r\nUser-Agent: evil\u00e9\\\r\n\r\n");

        Assert.Equal(@"/\xff\x5cx", result.Request!.Target);
        Assert.Equal(@"evil\xe9\x5c", result.Request.UserAgent);
    }

    [Fact]
    public void Basic_credentials_are_decoded_and_escaped()
    {
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:hunter2\n"));

        var result = Parse($"GET / HTTP/1.1\r\nHost: a\r\nAuthorization: basic {token}\r\n\r\n");

        Assert.Equal("admin", result.Request!.User);
        Assert.Equal(@"hunter2\x0a", result.Request.Password);
    }

    [Fact]
    public void Random_input_never_throws()
    {
        var random = new Random(1234);
        var buffer = new byte[600];
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(buffer.Length);
            random.NextBytes(buffer.AsSpan(0, length));
            var status = HttpRequestParser.Parse(buffer.AsSpan(0, length)).Status;
            Assert.True(Enum.IsDefined(status));
        }
    }

    [Fact]
    public void Mutated_requests_never_throw_and_every_prefix_of_a_valid_request_is_incomplete()
    {
        var random = new Random(99);
        var valid = Encoding.ASCII.GetBytes(Curl);
        for (var cut = 0; cut < valid.Length; cut++)
        {
            Assert.Equal(HttpParseStatus.Incomplete, HttpRequestParser.Parse(valid.AsSpan(0, cut)).Status);
        }

        for (var i = 0; i < 20_000; i++)
        {
            var mutated = (byte[])valid.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            var result = HttpRequestParser.Parse(mutated.AsSpan(0, random.Next(mutated.Length + 1)));
            Assert.True(result.Status != HttpParseStatus.Complete || result.Request is not null);
        }
    }
}
