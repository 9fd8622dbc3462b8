using System.Text;
using System.Text.Json;
using Tarpit.Tarpits.Http;
using Tarpit.Text;

namespace Tarpit.Tests.Tarpits.Http;

public sealed class RequestCaptureTests
{
    private static HttpRequest Parse(string head)
    {
        var result = HttpRequestParser.Parse(Encoding.Latin1.GetBytes(head));
        Assert.Equal(HttpParseStatus.Complete, result.Status);
        return result.Request!;
    }

    [Fact]
    public void A_capture_has_the_request_line_host_user_agent_announced_body_and_every_field_in_order()
    {
        var request = Parse("POST /wp-login.php HTTP/1.1\r\nHost: example.org\r\nUser-Agent: curl/8.14.1\r\nContent-Length: 27\r\nX-Custom:   spaced value  \r\nAccept: */*\r\n\r\n");

        using var capture = JsonDocument.Parse(RequestCapture.Compose(request, 1));
        var root = capture.RootElement;

        Assert.Equal(1, root.GetProperty("request").GetInt32());
        Assert.Equal("POST", root.GetProperty("method").GetString());
        Assert.Equal("/wp-login.php", root.GetProperty("target").GetString());
        Assert.Equal("HTTP/1.1", root.GetProperty("version").GetString());
        Assert.Equal("example.org", root.GetProperty("host").GetString());
        Assert.Equal("curl/8.14.1", root.GetProperty("user_agent").GetString());
        Assert.Equal(27, root.GetProperty("content_length").GetInt64());
        Assert.Equal(5, root.GetProperty("headers_seen").GetInt32());
        var headers = root.GetProperty("headers").EnumerateArray().Select(h => (h.GetProperty("name").GetString(), h.GetProperty("value").GetString())).ToList();
        Assert.Equal(
            [("Host", "example.org"), ("User-Agent", "curl/8.14.1"), ("Content-Length", "27"), ("X-Custom", "spaced value"), ("Accept", "*/*")],
            headers);
    }

    [Fact]
    public void A_request_without_host_user_agent_or_length_has_nulls()
    {
        using var capture = JsonDocument.Parse(RequestCapture.Compose(Parse("GET / HTTP/1.0\r\n\r\n"), 3));
        var root = capture.RootElement;

        Assert.Equal(3, root.GetProperty("request").GetInt32());
        Assert.Equal("HTTP/1.0", root.GetProperty("version").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("host").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("user_agent").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("content_length").ValueKind);
        Assert.Empty(root.GetProperty("headers").EnumerateArray());
    }

    [Theory]
    [InlineData(HeaderCapture.MaxValueLength, false)]
    [InlineData(HeaderCapture.MaxValueLength + 1, true)]
    [InlineData(HttpRequestParser.MaxLineLength - 10, true)]
    public void A_value_is_kept_to_its_bound_and_marked_when_cut(int length, bool cut)
    {
        var value = new string('v', length);

        var header = Assert.Single(Parse($"GET / HTTP/1.0\r\nX-Long: {value}\r\n\r\n").Headers);

        Assert.Equal(cut ? new string('v', HeaderCapture.MaxValueLength) + AttackerText.TruncationMarker : value, header.Value);
    }

    [Theory]
    [InlineData(HeaderCapture.MaxNameLength)]
    [InlineData(HeaderCapture.MaxNameLength + 1)]
    public void A_name_is_kept_to_its_bound(int length)
    {
        var name = new string('n', length);

        var header = Assert.Single(Parse($"GET / HTTP/1.0\r\n{name}: x\r\n\r\n").Headers);

        Assert.Equal(new string('n', Math.Min(length, HeaderCapture.MaxNameLength)), header.Name);
        Assert.Equal("x", header.Value);
    }

    [Theory]
    [InlineData(HeaderCapture.MaxHeaders)]
    [InlineData(HeaderCapture.MaxHeaders + 1)]
    [InlineData(HttpRequestParser.MaxHeaderCount)]
    public void At_most_the_bound_of_fields_is_kept_and_every_one_is_counted(int fields)
    {
        var head = new StringBuilder("GET / HTTP/1.0\r\n");
        for (var i = 0; i < fields; i++)
        {
            head.Append("X-F").Append(i).Append(": ").Append(i).Append("\r\n");
        }

        var request = Parse(head.Append("\r\n").ToString());

        Assert.Equal(Math.Min(fields, HeaderCapture.MaxHeaders), request.Headers.Count);
        Assert.Equal(fields, request.HeadersSeen);
        Assert.Equal("X-F0", request.Headers[0].Name);
        Assert.Equal($"X-F{HeaderCapture.MaxHeaders - 1}", request.Headers[^1].Name);
    }

    [Fact]
    public void Attacker_bytes_in_names_targets_and_values_are_escaped_before_the_capture()
    {
        var request = Parse("GET /a\xff\\b HTTP/1.0\r\nX-Evil: [31m\xe9\\\t!\r\n\r\n");

        var json = RequestCapture.Compose(request, 1);
        using var capture = JsonDocument.Parse(json);
        var root = capture.RootElement;

        Assert.Equal(@"/a\xff\x5cb", root.GetProperty("target").GetString());
        Assert.Equal(@"[31m\xe9\x5c\x09!", root.GetProperty("headers")[0].GetProperty("value").GetString());
        Assert.All(json, c => Assert.InRange(c, ' ', '~'));
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("123456789012345678", 123456789012345678L)]
    [InlineData("1234567890123456789", null)]
    [InlineData("12a", null)]
    [InlineData("-1", null)]
    [InlineData("1, 1", null)]
    public void Content_length_is_reported_only_as_1_DIGIT_within_its_bound(string value, long? expected)
    {
        var request = Parse($"POST /x HTTP/1.0\r\nContent-Length: {value}\r\n\r\n");

        Assert.Equal(expected, request.ContentLength);
    }

    [Fact]
    public void The_longest_capture_stays_within_its_documented_size()
    {
        var head = new StringBuilder("GET /" + new string('\x80', 300) + " HTTP/1.1\r\nHost: " + new string('h', 300) + "\r\nUser-Agent: " + new string('\xff', 400) + "\r\n");
        for (var i = 0; i < HeaderCapture.MaxHeaders; i++)
        {
            head.Append(new string('n', 70)).Append(i).Append(": ").Append(new string('\x80', 200)).Append("\r\n");
        }

        var capture = RequestCapture.Compose(Parse(head.Append("\r\n").ToString()), RequestCapture.MaxCapturedRequests);

        Assert.InRange(capture.Length, 1, RequestCapture.MaxJsonLength);
    }

    [Fact]
    public void Captures_composed_one_after_another_on_the_reused_writer_are_each_whole_whatever_came_before()
    {
        var small = Parse("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        var alone = RequestCapture.Compose(small, 1);
        var big = new StringBuilder("GET /" + new string('\x80', 300) + " HTTP/1.1\r\nHost: b\r\n");
        for (var i = 0; i < HeaderCapture.MaxHeaders; i++)
        {
            big.Append(new string('n', 70)).Append(i).Append(": ").Append(new string('\x80', 200)).Append("\r\n");
        }

        var large = RequestCapture.Compose(Parse(big.Append("\r\n").ToString()), 2); // past the buffer the thread keeps
        var after = RequestCapture.Compose(small, 1);
        var again = RequestCapture.Compose(small, 1);

        Assert.True(large.Length > 4096);
        using var parsed = JsonDocument.Parse(large);
        Assert.Equal(2, parsed.RootElement.GetProperty("request").GetInt32());
        Assert.Equal(alone, after);
        Assert.Equal(alone, again);
    }
}
