using System.Text;
using Tarpit.Tarpits.Http;

namespace Tarpit.Tests.Tarpits.Http;

public sealed class HttpHeadReaderTests
{
    private static readonly string[] HeadTexts =
    [
        "GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n",
        "GET / HTTP/1.0\r\n\r\n",
        "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "\r\n\r\nGET / HTTP/1.1\nHost: a\n\n",
        "HEAD / HTTP/1.1\r\nHost: a\r\nRange: bytes=5-9\r\nAccept-Encoding: deflate, gzip\r\nConnection: close\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nAuthorization: Basic " + Convert.ToBase64String("root:toor"u8) + "\r\n\r\n",
        "POST /wp-login.php HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
        "GET /\u00ff\\x HTTP/1.1\r\nHost: a\r\nUser-Agent: evil\u00e9\\\r\nX-Long-Field-Name-Nobody-Reads: v\r\n\r\n",
        "\u0016\u0003\u0001\u0002\u0000\u0001",
        "SSH-2.0-OpenSSH_9.2\r\n",
        "GET  / HTTP/1.1\r\n",
        "GET / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost : a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n",
        "GET / HTTP/1.1\r\nno colon here\r\n\r\n",
        "GET / HTTP/1.1\r\n\r\r\n",
        "GET /../etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n",
        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
        "GET / HTTP/3.0\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: exa",
    ];

    public static TheoryData<string> Heads => new(HeadTexts);

    [Theory]
    [MemberData(nameof(Heads))]
    public void A_head_fed_a_byte_at_a_time_parses_to_what_the_whole_head_parses_to(string text)
    {
        var head = Encoding.Latin1.GetBytes(text);

        var whole = Feed(head, head.Length);

        Assert.Equal(whole, Feed(head, 1));
        Assert.Equal(whole, Feed(head, 3));
    }

    [Fact]
    public void Mutated_heads_decide_the_same_however_they_are_split()
    {
        var random = new Random(16);
        var corpus = HeadTexts.Select(Encoding.Latin1.GetBytes).ToArray();
        for (var i = 0; i < 5_000; i++)
        {
            var mutated = (byte[])corpus[random.Next(corpus.Length)].Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] = (byte)"\r\n :aAz0/\t\u0001\u00ff"[random.Next(12)];
            }

            var whole = Feed(mutated, mutated.Length);
            Assert.Equal(whole, Feed(mutated, 1));
            Assert.Equal(whole, Feed(mutated, random.Next(1, 40)));
        }
    }

    [Theory]
    [InlineData(-1, nameof(HttpParseStatus.Complete))]
    [InlineData(0, nameof(HttpParseStatus.Complete))]
    [InlineData(1, nameof(HttpParseStatus.UriTooLong))]
    public void A_request_line_at_the_cap_boundary_decides_alike_a_byte_at_a_time(int overCap, string expectedName)
    {
        var expected = Enum.Parse<HttpParseStatus>(expectedName);
        var fixedPart = "GET / HTTP/1.0".Length;
        var line = "GET /" + new string('a', HttpRequestParser.MaxLineLength - fixedPart + overCap) + " HTTP/1.0";
        var head = Encoding.ASCII.GetBytes(line + "\r\n\r\n");

        Assert.Equal(HttpRequestParser.MaxLineLength + overCap, line.Length);
        Assert.Equal(expected, Feed(head, 1).Status);
        Assert.Equal(expected, Feed(head, head.Length).Status);
    }

    [Theory]
    [InlineData(-1, nameof(HttpParseStatus.Complete))]
    [InlineData(0, nameof(HttpParseStatus.Complete))]
    [InlineData(1, nameof(HttpParseStatus.HeaderTooLarge))]
    public void A_field_line_at_the_cap_boundary_decides_alike_a_byte_at_a_time(int overCap, string expectedName)
    {
        var expected = Enum.Parse<HttpParseStatus>(expectedName);
        foreach (var name in new[] { "User-Agent", "X-Unread" })
        {
            var field = name + ": " + new string('v', HttpRequestParser.MaxLineLength - name.Length - 2 + overCap);
            var head = Encoding.ASCII.GetBytes("GET / HTTP/1.0\r\n" + field + "\r\n\r\n");

            Assert.Equal(expected, Feed(head, 1).Status);
            Assert.Equal(expected, Feed(head, head.Length).Status);
        }
    }

    [Theory]
    [InlineData(-1, nameof(HttpParseStatus.Complete))]
    [InlineData(0, nameof(HttpParseStatus.Complete))]
    [InlineData(1, nameof(HttpParseStatus.HeaderTooLarge))]
    public void A_head_at_the_total_cap_boundary_decides_alike_a_byte_at_a_time(int overCap, string expectedName)
    {
        var expected = Enum.Parse<HttpParseStatus>(expectedName);
        // Request line, 1000-byte fields, one shorter field to fill up to the cap (counting its CR LF), the empty line.
        var text = new StringBuilder("GET / HTTP/1.0\r\n");
        var field = "X-Pad: " + new string('p', 991) + "\r\n";
        while (text.Length + field.Length + 64 < HttpRequestParser.MaxHeadLength)
        {
            text.Append(field);
        }

        var rest = HttpRequestParser.MaxHeadLength + overCap - text.Length - "\r\n".Length;
        text.Append("X-Last: ").Append(new string('q', rest - "X-Last: ".Length - 2)).Append("\r\n\r\n");
        var head = Encoding.ASCII.GetBytes(text.ToString());

        Assert.Equal(HttpRequestParser.MaxHeadLength + overCap, head.Length);
        var bytewise = Feed(head, 1);
        Assert.Equal(expected, bytewise.Status);
        Assert.Equal(Feed(head, head.Length), bytewise);
        if (expected == HttpParseStatus.Complete)
        {
            Assert.Equal(head.Length, bytewise.Request!.HeadLength);
        }
    }

    [Fact]
    public void Only_a_line_that_is_read_is_buffered_and_the_buffer_goes_back_once_decided()
    {
        var reader = new HttpHeadReader();
        Feed(reader, "GET / HTTP/1.1\r\nHost: a\r\nUser-Agent: trickle\r\nX-Trickle: "u8, 1);
        var afterHead = reader.BufferLength;

        Feed(reader, Encoding.ASCII.GetBytes(new string('a', 8000)), 1);

        Assert.InRange(afterHead, 1, 128);
        Assert.Equal(afterHead, reader.BufferLength);
        Assert.Equal(HttpParseStatus.Complete, reader.Feed("\r\n\r\n"u8));
        Assert.Equal(0, reader.BufferLength);
    }

    [Fact]
    public void A_long_read_field_grows_the_buffer_to_the_line_not_to_the_cap()
    {
        var reader = new HttpHeadReader();
        Feed(reader, Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: a\r\nUser-Agent: " + new string('u', 1000)), 1);

        Assert.InRange(reader.BufferLength, 1024, 2048);
        reader.Release();
    }

    private static (HttpParseStatus Status, HttpRequest? Request) Feed(byte[] head, int chunk)
    {
        var reader = new HttpHeadReader();
        var status = Feed(reader, head, chunk);
        reader.Release();
        return (status, reader.Request);
    }

    private static HttpParseStatus Feed(HttpHeadReader reader, ReadOnlySpan<byte> head, int chunk)
    {
        var status = HttpParseStatus.Incomplete;
        for (var i = 0; i < head.Length; i += chunk)
        {
            status = reader.Feed(head.Slice(i, Math.Min(chunk, head.Length - i)));
        }

        return status;
    }
}
