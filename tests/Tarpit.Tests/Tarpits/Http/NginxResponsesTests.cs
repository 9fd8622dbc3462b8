using System.Text;
using System.Text.RegularExpressions;
using Tarpit.Config;
using Tarpit.Tarpits.Http;

namespace Tarpit.Tests.Tarpits.Http;

public sealed class NginxResponsesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 49, 13, TimeSpan.Zero);

    [Theory]
    [InlineData((int)HttpErrorPage.BadRequest, "400 Bad Request")]
    [InlineData((int)HttpErrorPage.HeaderTooLarge, "400 Bad Request")]
    [InlineData((int)HttpErrorPage.UriTooLong, "414 Request-URI Too Large")]
    public void Error_responses_have_nginx_headers_a_matching_content_length_and_close(int pageNumber, string status)
    {
        var page = (HttpErrorPage)pageNumber;
        var buffer = new byte[4096];

        var written = NginxResponses.WriteError(buffer, page, NginxResponses.DefaultServer, Now);

        var text = Encoding.ASCII.GetString(buffer, 0, written);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var body = text[(split + 4)..];
        Assert.StartsWith($"HTTP/1.1 {status}\r\nServer: nginx/1.22.1\r\nDate: Mon, 23 Nov 2026 10:49:13 GMT\r\nContent-Type: text/html\r\n", text, StringComparison.Ordinal);
        Assert.Contains($"\r\nContent-Length: {body.Length}\r\nConnection: close\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n", body, StringComparison.Ordinal);

        // nmap-service-probes: match http m|^HTTP/1\.1 \d\d\d .*<center>nginx/([\d.]+)</center>\r?\n</body>\r?\n</html>[\r\n]+$|s
        Assert.Matches(new Regex(@"^HTTP/1\.1 \d\d\d .*<center>nginx/([\d.]+)</center>\r?\n</body>\r?\n</html>[\r\n]+$", RegexOptions.Singleline), text);
    }

    [Fact]
    public void Static_heads_of_one_tarpit_keep_their_validators_and_carry_a_consistent_etag()
    {
        var tarpit = new HttpTarpit(HttpModeSessionTests.Config("drip"), new HttpTarpitOptions(12_345, 1 << 20, "r"), new Random(11));
        var heads = new HashSet<string>();
        for (var i = 0; i < 50; i++)
        {
            var buffer = new byte[4096];
            var w = new AsciiWriter(buffer);
            StaticFileHead.Write(ref w, tarpit, Now.AddSeconds(i), 12_345, null, null, keepAlive: true);
            var text = Encoding.ASCII.GetString(buffer, 0, w.Length);
            heads.Add(Regex.Replace(text, "Date: [^\r]*\r\n", ""));

            var lastModified = DateTimeOffset.Parse(Regex.Match(text, "Last-Modified: (.*)\r\n").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains($"ETag: \"{lastModified.ToUnixTimeSeconds():x}-{12_345:x}\"\r\n", text, StringComparison.Ordinal);
            Assert.Matches(new Regex(@"^HTTP/1\.[01] \d\d\d.*\r\nServer: nginx/([\d.]+)\r\n", RegexOptions.Singleline), text);
            Assert.EndsWith("\r\n\r\n", text, StringComparison.Ordinal);
        }

        Assert.Single(heads);
    }

    [Fact]
    public void A_range_head_is_a_206_with_the_content_range_and_the_range_length()
    {
        var tarpit = new HttpTarpit(HttpModeSessionTests.Config("drip"), new HttpTarpitOptions(12_345, 1 << 20, "r"), new Random(11));
        var buffer = new byte[4096];
        var w = new AsciiWriter(buffer);

        StaticFileHead.Write(ref w, tarpit, Now, 12_345, (10, 19), null, keepAlive: true);

        var text = Encoding.ASCII.GetString(buffer, 0, w.Length);
        Assert.StartsWith("HTTP/1.1 206 Partial Content\r\n", text, StringComparison.Ordinal);
        Assert.Contains("Content-Length: 10\r\n", text, StringComparison.Ordinal);
        Assert.Contains("Content-Range: bytes 10-19/12345\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Accept-Ranges", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Noise_lines_are_valid_distinct_header_fields()
    {
        var random = new Random(21);
        var lines = new HashSet<string>();
        for (var i = 0; i < 500; i++)
        {
            var buffer = new byte[512];
            var w = new AsciiWriter(buffer);
            HeaderNoise.WriteLine(ref w, random);
            var line = Encoding.ASCII.GetString(buffer, 0, w.Length);
            lines.Add(line);

            Assert.Matches(new Regex(@"^[A-Za-z-]+: [\x20-\x7e]+\r\n$"), line);
        }

        Assert.True(lines.Count > 400, $"{lines.Count} distinct lines of 500");
    }
}
