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

        var result = await TarpitUnderTest.RunAsync("curl", ["-sS", "-v", "-m", "3", "-o", "/dev/null", $"http://127.0.0.1:{tarpit.Port}/admin"], timeout.Token);

        Assert.Equal(CurlTimedOut, result.ExitCode);
        Assert.Contains("< HTTP/1.1 200 OK", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("< Server: nginx/1.22.1", result.StandardError, StringComparison.Ordinal);
        Assert.True(result.StandardError.Split('\n').Count(l => l.StartsWith("< ", StringComparison.Ordinal)) > 6, result.StandardError);
        Assert.True(await EventuallyAsync(() => tarpit.Events.Any(e => e.Details?.GetValueOrDefault("http.path") == "/admin")));
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

    [SystemFact(false, "curl", "python3")]
    public async Task A_gzip_bomb_received_by_curl_inflates_in_python_to_exactly_the_bomb_size()
    {
        await AssertBombAsync("gzip-bomb", "gzip", 31);
    }

    [SystemFact(false, "curl", "python3")]
    public async Task A_deflate_bomb_received_by_curl_inflates_in_python_to_exactly_the_bomb_size()
    {
        await AssertBombAsync("deflate-bomb", "deflate", 15);
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

    private static async Task AssertBombAsync(string mode, string coding, int windowBits)
    {
        Prerequisites.Require(false, "curl", "python3");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        const long bombSize = 64L << 20;
        await using var tarpit = await TarpitUnderTest.StartAsync(TarpitProtocol.Http, mode, interval: TimeSpan.FromMilliseconds(5), dripBytes: 4096, bombSize: bombSize, cancellationToken: timeout.Token);
        var file = Path.Combine(Path.GetTempPath(), $"tarpit-bomb-{Guid.NewGuid():N}");
        try
        {
            var curl = await TarpitUnderTest.RunAsync("curl", ["-sS", "-m", "90", "-H", $"Accept-Encoding: {coding}", "-D", "-", "-o", file, $"http://127.0.0.1:{tarpit.Port}/"], timeout.Token);
            const string inflate = "import sys, zlib\nd = zlib.decompressobj(int(sys.argv[2]))\nn = 0\nwith open(sys.argv[1], 'rb') as f:\n    for chunk in iter(lambda: f.read(65536), b''):\n        n += len(d.decompress(chunk))\nn += len(d.flush())\nprint(n, d.eof)\n";
            var python = await TarpitUnderTest.RunAsync("python3", ["-c", inflate, file, windowBits.ToString(System.Globalization.CultureInfo.InvariantCulture)], timeout.Token);

            Assert.Equal(0, curl.ExitCode);
            Assert.Contains($"Content-Encoding: {coding}\r\n", curl.StandardOutput, StringComparison.Ordinal);
            Assert.True(new FileInfo(file).Length < bombSize / 500);
            Assert.Equal($"{bombSize} True", python.StandardOutput.Trim());
        }
        finally
        {
            File.Delete(file);
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
