using System.Globalization;
using System.Text.RegularExpressions;
using Tarpit.Config;
using Tarpit.SystemTests.Infrastructure;
using Tarpit.SystemTests.Tarpits.Http;

namespace Tarpit.SystemTests.Tarpits.Tls;

/// <summary>
/// handshake-drip completes a real TLS handshake (OpenSSL's, through SslStream) and drips HTTP inside it:
/// real clients get nginx's status line and head, then are held by the body; nmap's SSL tunnel identifies ssl/http.
/// </summary>
public sealed class TlsHttpSystemTests
{
    private const string Mode = ModeCatalog.TlsHandshakeDrip;

    /// <summary>curl's exit code when its <c>-m</c> passed: the client was still being held.</summary>
    private const int CurlTimedOut = 28;

    /// <summary>timeout(1)'s exit code when it had to stop the command.</summary>
    private const int TimedOut = 124;

    [SystemFact(false, "curl")]
    public async Task Curl_completes_the_handshake_gets_nginx_head_and_is_held_by_the_body()
    {
        Prerequisites.Require(false, "curl");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var tarpit = await TarpitUnderTest.StartAsync(TarpitProtocol.Tls, Mode, interval: TimeSpan.FromMilliseconds(200), dripBytes: 4, cancellationToken: timeout.Token);

        var result = await TarpitUnderTest.RunAsync("curl", ["-sS", "-k", "-m", "4", "-D", "-", "-o", "/dev/null", "--resolve", $"www.example.org:{tarpit.Port}:127.0.0.1", $"https://www.example.org:{tarpit.Port}/"], timeout.Token);

        Assert.True(result.ExitCode == CurlTimedOut, $"curl exited {result.ExitCode}: {result.StandardOutput}{result.StandardError}");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Server: nginx/1.22.1\r\n", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(tarpit.Events, e => e.Details?.GetValueOrDefault("tls.sni") == "www.example.org");
    }

    [Theory]
    [InlineData("openssl", "s_client|-quiet|-connect|127.0.0.1:{port}", "HTTP/1.1 200 OK")]
    [InlineData("openssl", "s_client|-quiet|-tls1_2|-connect|127.0.0.1:{port}", "HTTP/1.1 200 OK")]
    [InlineData("gnutls-cli", "--insecure|-p|{port}|127.0.0.1", "HTTP/1.1 200 OK")]
    public async Task A_tls_client_sending_a_request_gets_the_status_line_then_is_held(string tool, string arguments, string statusLine)
    {
        Prerequisites.Require(false, tool, "timeout");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var tarpit = await TarpitUnderTest.StartAsync(TarpitProtocol.Tls, Mode, interval: TimeSpan.FromMilliseconds(200), dripBytes: 4, cancellationToken: timeout.Token);
        var port = tarpit.Port.ToString(CultureInfo.InvariantCulture);

        // The request, then input kept open: openssl s_client and gnutls-cli end at their input's end, as on nginx.
        string[] command = [tool, .. arguments.Split('|').Select(a => a.Replace("{port}", port, StringComparison.Ordinal))];
        var result = await TarpitUnderTest.RunAsync(
            "timeout", ["4", "bash", "-c", "(printf 'GET / HTTP/1.1\\r\\nHost: www.example.org\\r\\n\\r\\n'; sleep 8) | \"$@\"", "client", .. command], timeout.Token);

        Assert.True(result.ExitCode == TimedOut, $"{tool} exited {result.ExitCode}: {result.StandardOutput}{result.StandardError}");
        Assert.Contains(statusLine, result.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>
    /// The real handshake is OpenSSL's under .NET, whose own suite list and server preference ssl-enum-ciphers told
    /// from nginx's (it offers suites in several orders and compares the answers); each client gets nginx's choice.
    /// </summary>
    [SystemFact(false, "nmap", RealNginx.Binary, "openssl")]
    public async Task Nmap_ssl_enum_ciphers_sees_what_it_sees_on_a_real_nginx()
    {
        Prerequisites.Require(false, "nmap", RealNginx.Binary, "openssl");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var nginx = await RealNginx.StartAsync(tls: true, timeout.Token);
        await using var tarpit = await TarpitUnderTest.StartAsync(TarpitProtocol.Tls, Mode, cancellationToken: timeout.Token);

        var expected = await TlsTarpitSystemTests.EnumCiphersAsync(nginx.Port, timeout.Token);
        var actual = await TlsTarpitSystemTests.EnumCiphersAsync(tarpit.Port, timeout.Token);

        Assert.Contains("TLSv1.2", expected, StringComparison.Ordinal);
        Assert.Equal(expected, actual);
    }

    [SystemFact(false, "nmap")]
    public async Task Nmap_version_detection_says_ssl_http_nginx()
    {
        Prerequisites.Require(false, "nmap");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        await using var tarpit = await TarpitUnderTest.StartAsync(TarpitProtocol.Tls, Mode, cancellationToken: timeout.Token);

        var result = await TarpitUnderTest.RunAsync("nmap", ["-sV", "-Pn", "-n", "--host-timeout", "200s", "--script-timeout", "10s", "-p", tarpit.Port.ToString(CultureInfo.InvariantCulture), "127.0.0.1"], timeout.Token);

        Assert.True(Regex.IsMatch(result.StandardOutput, $@"{tarpit.Port}/tcp\s+open\s+ssl/http\s+nginx"), result.StandardOutput);
    }
}
