using Tarpit.Config;
using Tarpit.SystemTests.Infrastructure;
using Tarpit.Tarpits.Events;

namespace Tarpit.SystemTests.Tarpits.Http;

public sealed class HttpTarpitSystemTests
{
    /// <summary>curl's exit code for "Operation timed out".</summary>
    private const int CurlTimedOut = 28;

    [SystemFact(false, "curl")]
    public async Task Curl_against_endless_header_times_out_having_received_an_nginx_status_line()
    {
        Prerequisites.Require(false, "curl");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var tarpit = await TarpitUnderTest.StartAsync(TarpitProtocol.Http, "endless-header", cancellationToken: timeout.Token);

        var result = await TarpitUnderTest.RunAsync("curl", ["-sS", "-v", "-m", "3", "-o", "/dev/null", $"http://127.0.0.1:{tarpit.Port}/"], timeout.Token);

        Assert.Equal(CurlTimedOut, result.ExitCode);
        Assert.Contains("< HTTP/1.1 200 OK", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("< Server: nginx/1.22.1", result.StandardError, StringComparison.Ordinal);
        Assert.True(result.StandardError.Split('\n').Count(l => l.StartsWith("< ", StringComparison.Ordinal)) > 6, result.StandardError);
        Assert.True(await EventuallyAsync(() => tarpit.Events.Any(e => e.Details?.GetValueOrDefault("http.path") == "/")));
    }

    [SystemFact(false, "curl")]
    public async Task Curl_against_drip_times_out_inside_a_large_html_body()
    {
        Prerequisites.Require(false, "curl");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var tarpit = await TarpitUnderTest.StartAsync(TarpitProtocol.Http, "drip", cancellationToken: timeout.Token);

        var result = await TarpitUnderTest.RunAsync("curl", ["-sS", "-v", "-m", "3", $"http://127.0.0.1:{tarpit.Port}/"], timeout.Token);

        Assert.Equal(CurlTimedOut, result.ExitCode);
        Assert.Contains("< Content-Length: 10000000", result.StandardError, StringComparison.Ordinal);
        Assert.StartsWith("<!DOCTYPE html>", result.StandardOutput, StringComparison.Ordinal);
    }

    [SystemFact(false, "curl")]
    public async Task Curl_with_credentials_against_fake_auth_gets_a_401_eventually_and_the_credentials_are_published()
    {
        Prerequisites.Require(false, "curl");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var tarpit = await TarpitUnderTest.StartAsync(TarpitProtocol.Http, "fake-auth", interval: TimeSpan.FromMilliseconds(100), dripBytes: 64, cancellationToken: timeout.Token);

        var result = await TarpitUnderTest.RunAsync("curl", ["-sS", "-m", "10", "-u", "admin:s3cret", "-w", "%{http_code}", $"http://127.0.0.1:{tarpit.Port}/"], timeout.Token);

        Assert.Equal(0, result.ExitCode);
        Assert.EndsWith("</html>\r\n401", result.StandardOutput, StringComparison.Ordinal);
        Assert.True(await EventuallyAsync(() => tarpit.Events.Any(e => e.Kind == ConnectionEventKind.Observed && e.Details?.GetValueOrDefault("auth.password") == "s3cret")));
        Assert.Contains(tarpit.Events, e => e.Details?.GetValueOrDefault("auth.user") == "admin");
    }

    [SystemFact(false, "curl", "bash")]
    public async Task Curl_compressed_decodes_the_whole_gzip_bomb_at_once_and_is_then_held()
    {
        await AssertBombAsync("gzip-bomb", "gzip");
    }

    [SystemFact(false, "curl", "bash")]
    public async Task Curl_compressed_decodes_the_whole_deflate_bomb_at_once_and_is_then_held()
    {
        await AssertBombAsync("deflate-bomb", "deflate");
    }

    [SystemFact(false, "bash")]
    public async Task Garbage_gets_an_nginx_400_page_and_the_connection_is_closed()
    {
        Prerequisites.Require(false, "bash");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var tarpit = await TarpitUnderTest.StartAsync(TarpitProtocol.Http, "endless-header", cancellationToken: timeout.Token);

        // bash's /dev/tcp: send a TLS-looking byte, read until the server closes (bounded by timeout).
        var result = await TarpitUnderTest.RunAsync("timeout", ["10", "bash", "-c", $"exec 3<>/dev/tcp/127.0.0.1/{tarpit.Port}; printf '\\x16\\x03\\x01' >&3; cat <&3"], timeout.Token);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\nServer: nginx/1.22.1\r\n", result.StandardOutput, StringComparison.Ordinal);
        Assert.EndsWith("<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n", result.StandardOutput, StringComparison.Ordinal);
    }

    [SystemFact(false, "nmap")]
    public async Task Nmap_version_detection_identifies_nginx()
    {
        Prerequisites.Require(false, "nmap");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        await using var tarpit = await TarpitUnderTest.StartAsync(TarpitProtocol.Http, "endless-header", cancellationToken: timeout.Token);

        var result = await TarpitUnderTest.RunAsync("nmap", ["-sV", "-Pn", "-n", "--host-timeout", "150s", "--script-timeout", "10s", "-p", tarpit.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "127.0.0.1"], timeout.Token);

        Assert.True(
            System.Text.RegularExpressions.Regex.IsMatch(result.StandardOutput, $@"{tarpit.Port}/tcp\s+open\s+http\s+nginx 1\.22\.1"),
            result.StandardOutput);
    }

    /// <summary>
    /// At a slow drip (4 bytes a second) curl --compressed still gets the whole compressed body within its 6 s and
    /// writes out every inflated byte, then waits for the trailer byte that never comes (held: timed out).
    /// </summary>
    private static async Task AssertBombAsync(string mode, string coding)
    {
        Prerequisites.Require(false, "curl", "bash");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        const long bombSize = 64L << 20;
        await using var tarpit = await TarpitUnderTest.StartAsync(TarpitProtocol.Http, mode, interval: TimeSpan.FromSeconds(1), dripBytes: 4, bombSize: bombSize, cancellationToken: timeout.Token);
        var head = Path.Combine(Path.GetTempPath(), $"tarpit-bomb-{Guid.NewGuid():N}");
        try
        {
            var result = await TarpitUnderTest.RunAsync(
                "bash",
                ["-c", "curl -sS --compressed -m 6 -D \"$1\" -o - \"$2\" | wc -c; echo \"${PIPESTATUS[0]}\"", "bomb", head, $"http://127.0.0.1:{tarpit.Port}/"],
                timeout.Token);

            var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal([bombSize.ToString(System.Globalization.CultureInfo.InvariantCulture), CurlTimedOut.ToString(System.Globalization.CultureInfo.InvariantCulture)], lines);
            var headers = await File.ReadAllTextAsync(head, timeout.Token);
            Assert.Contains($"Content-Encoding: {coding}\r\n", headers, StringComparison.Ordinal);
            Assert.Equal(1, headers.Split("\r\n").Count(l => l.StartsWith("HTTP/", StringComparison.Ordinal)));
            Assert.True(headers.Split("\r\n").Length < 20, headers);
        }
        finally
        {
            File.Delete(head);
        }
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return condition();
    }
}
