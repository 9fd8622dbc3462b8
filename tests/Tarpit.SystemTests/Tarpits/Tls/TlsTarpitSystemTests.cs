using System.Globalization;
using System.Text.RegularExpressions;
using Tarpit.Config;
using Tarpit.SystemTests.Infrastructure;
using Tarpit.SystemTests.Tarpits.Http;

namespace Tarpit.SystemTests.Tarpits.Tls;

public sealed class TlsTarpitSystemTests
{
    /// <summary>timeout(1)'s exit code when it had to stop the command.</summary>
    private const int TimedOut = 124;

    private const int CurlTimedOut = 28;

    [SystemFact(false, "openssl", "timeout")]
    public async Task Openssl_parses_the_slow_server_hello_and_stays_connected_until_killed()
    {
        Prerequisites.Require(false, "openssl", "timeout");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var tarpit = await TarpitUnderTest.StartAsync(TarpitProtocol.Tls, "slow-hello", interval: TimeSpan.FromMilliseconds(10), dripBytes: 2, cancellationToken: timeout.Token);

        var result = await TarpitUnderTest.RunAsync("timeout", ["5", "openssl", "s_client", "-connect", $"127.0.0.1:{tarpit.Port}", "-servername", "www.example.org", "-msg"], timeout.Token);

        var output = result.StandardOutput + result.StandardError;
        Assert.Equal(TimedOut, result.ExitCode);
        Assert.Contains("CONNECTED", output, StringComparison.Ordinal);
        Assert.Matches(new Regex("<<< TLS 1\\.[23], Handshake \\[length [0-9a-f]+\\], ServerHello"), output);
        Assert.DoesNotContain("<<< TLS 1.2, Alert", output, StringComparison.Ordinal);
        Assert.DoesNotContain("error", output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(tarpit.Events, e => e.Details?.GetValueOrDefault("tls.sni") == "www.example.org");
    }

    [Theory]
    [InlineData("endless-hello-request", "gnutls-cli", "--insecure|-p|{port}|127.0.0.1")]
    [InlineData("endless-hello-request", "gnutls-cli", "--insecure|--priority|NORMAL:-GROUP-ALL:+GROUP-SECP256R1|-p|{port}|127.0.0.1")]
    [InlineData("slow-hello", "gnutls-cli", "--insecure|--priority|NORMAL:-GROUP-ALL:+GROUP-SECP256R1|-p|{port}|127.0.0.1")]
    [InlineData("slow-hello", "gnutls-cli", "--insecure|-p|{port}|127.0.0.1")]
    [InlineData("endless-hello-request", "wget", "--no-check-certificate|-t|1|-O|/dev/null|https://127.0.0.1:{port}/")]
    [InlineData("endless-hello-request", "gnutls-cli", "--insecure|--priority|NORMAL:-VERS-TLS1.3|-p|{port}|127.0.0.1")]
    [InlineData("endless-hello-request", "openssl", "s_client|-connect|127.0.0.1:{port}")]
    [InlineData("endless-hello-request", "openssl", "s_client|-tls1_2|-connect|127.0.0.1:{port}")]
    [InlineData("slow-hello", "openssl", "s_client|-tls1_2|-connect|127.0.0.1:{port}")]
    [InlineData("endless-hello-request", "python3", "-c|import socket,ssl; c=ssl._create_unverified_context(); c.wrap_socket(socket.create_connection(('127.0.0.1',{port})))")]
    public async Task A_tls_client_is_still_held_after_forty_intervals(string mode, string tool, string arguments)
    {
        Prerequisites.Require(false, tool, "timeout");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var tarpit = await TarpitUnderTest.StartAsync(TarpitProtocol.Tls, mode, interval: TimeSpan.FromMilliseconds(100), dripBytes: 4, cancellationToken: timeout.Token);
        var port = tarpit.Port.ToString(CultureInfo.InvariantCulture);

        var result = await TarpitUnderTest.RunAsync("timeout", ["4", tool, .. arguments.Split('|').Select(a => a.Replace("{port}", port, StringComparison.Ordinal))], timeout.Token, standardInput: "");

        Assert.True(result.ExitCode == TimedOut, $"{mode} {tool} exited {result.ExitCode}: {result.StandardOutput}{result.StandardError}");
    }

    [SystemFact(false, "curl")]
    public async Task Curl_over_https_times_out_against_both_modes()
    {
        Prerequisites.Require(false, "curl");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        foreach (var mode in new[] { "slow-hello", "endless-hello-request" })
        {
            await using var tarpit = await TarpitUnderTest.StartAsync(TarpitProtocol.Tls, mode, cancellationToken: timeout.Token);

            var result = await TarpitUnderTest.RunAsync("curl", ["-sS", "-k", "-m", "3", $"https://127.0.0.1:{tarpit.Port}/"], timeout.Token);

            Assert.True(result.ExitCode == CurlTimedOut, $"{mode}: curl exited {result.ExitCode}: {result.StandardError}");
        }
    }

    [SystemFact(false, "bash", "timeout")]
    public async Task Garbage_is_answered_with_a_fatal_alert_and_closed()
    {
        Prerequisites.Require(false, "bash", "timeout");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var tarpit = await TarpitUnderTest.StartAsync(TarpitProtocol.Tls, "slow-hello", cancellationToken: timeout.Token);

        // A handshake record holding a ServerHello (type 2), not a ClientHello.
        var result = await TarpitUnderTest.RunAsync("timeout", ["10", "bash", "-c", $"exec 3<>/dev/tcp/127.0.0.1/{tarpit.Port}; printf '\\x16\\x03\\x01\\x00\\x04\\x02\\x00\\x00\\x00' >&3; od -An -tx1 <&3"], timeout.Token);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("15 03 01 00 02 02 0a", result.StandardOutput.Trim());
    }

    [SystemFact(false, "nmap", RealNginx.Binary, "openssl")]
    public async Task Nmap_ssl_enum_ciphers_sees_what_it_sees_on_a_real_nginx()
    {
        Prerequisites.Require(false, "nmap", RealNginx.Binary, "openssl");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var nginx = await RealNginx.StartAsync(tls: true, timeout.Token);
        await using var tarpit = await TarpitUnderTest.StartAsync(TarpitProtocol.Tls, "endless-hello-request", cancellationToken: timeout.Token);

        var expected = await EnumCiphersAsync(nginx.Port, timeout.Token);
        var actual = await EnumCiphersAsync(tarpit.Port, timeout.Token);

        Assert.Contains("TLSv1.2", expected, StringComparison.Ordinal);
        Assert.Equal(expected, actual);
    }

    /// <summary>ssl-enum-ciphers' report, from its first line to its end (the port line differs).</summary>
    internal static async Task<string> EnumCiphersAsync(int port, CancellationToken cancellationToken)
    {
        var result = await TarpitUnderTest.RunAsync("nmap", ["-Pn", "-n", "--script", "ssl-enum-ciphers", "--script-timeout", "50s", "-p", port.ToString(CultureInfo.InvariantCulture), "127.0.0.1"], cancellationToken);
        var lines = result.StandardOutput.Split('\n').SkipWhile(l => !l.StartsWith("| ssl-enum-ciphers", StringComparison.Ordinal)).TakeWhile(l => l.StartsWith('|'));
        return string.Join("\n", lines);
    }

    /// <summary>
    /// On a port nmap has no TLS probe for, its plaintext GetRequest comes before: nginx answers it with its page for
    /// a plain HTTP request on the HTTPS port, and so does the tarpit. nmap sent no TLS probe, so TLS clients after it
    /// are still stalled. Before: <c>ssl/unknown</c> (the tarpit answered GetRequest with a TLS alert).
    /// </summary>
    [Theory]
    [InlineData("endless-hello-request")]
    [InlineData("slow-hello")]
    public async Task Nmap_version_detection_says_ssl_http_nginx_and_openssl_after_it_is_still_held(string mode)
    {
        Prerequisites.Require(false, "nmap", "openssl", "timeout");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        await using var tarpit = await TarpitUnderTest.StartAsync(TarpitProtocol.Tls, mode, cancellationToken: timeout.Token);

        var nmap = await TarpitUnderTest.RunAsync("nmap", ["-sV", "-Pn", "-n", "--host-timeout", "200s", "--script-timeout", "10s", "-p", tarpit.Port.ToString(CultureInfo.InvariantCulture), "127.0.0.1"], timeout.Token);
        var openssl = await TarpitUnderTest.RunAsync("timeout", ["4", "openssl", "s_client", "-connect", $"127.0.0.1:{tarpit.Port}"], timeout.Token, standardInput: "");

        Assert.True(Regex.IsMatch(nmap.StandardOutput, $@"{tarpit.Port}/tcp\s+open\s+ssl/http\s+nginx"), nmap.StandardOutput);
        Assert.True(openssl.ExitCode == TimedOut, $"openssl exited {openssl.ExitCode}: {openssl.StandardOutput}");
        Assert.DoesNotContain("Verify return code", openssl.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>
    /// On 443 nmap sends its SSLv3 probe (SSLSessionReq) first, then reconnects through TLS: its address is remembered
    /// and completes the handshake and gets nginx's HTTP answer; curl and python's ssl from another address that sent
    /// no probe stay stalled. Before: <c>ssl/unknown</c> (nmap's TLS connection stalled like everyone's).
    /// </summary>
    [Theory]
    [InlineData("endless-hello-request")]
    [InlineData("slow-hello")]
    public async Task On_port_443_nmap_says_ssl_http_nginx_and_clients_from_another_address_are_still_held(string mode)
    {
        Prerequisites.Require(false, "nmap", "curl", "python3", "timeout");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        var address = new System.Net.IPAddress([127, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(2, 255)]);
        await using var tarpit = await TarpitUnderTest.StartAsync(TarpitProtocol.Tls, mode, cancellationToken: timeout.Token, endpoint: new System.Net.IPEndPoint(address, 443));

        // nmap connects from 127.0.0.1; the other clients from the tarpit's own loopback address.
        var nmap = await TarpitUnderTest.RunAsync("nmap", ["-sV", "-Pn", "-n", "--host-timeout", "200s", "--script-timeout", "10s", "-p", "443", address.ToString()], timeout.Token);
        var curl = await TarpitUnderTest.RunAsync("curl", ["-sS", "-k", "-m", "4", "--interface", address.ToString(), $"https://{address}/"], timeout.Token);
        var python = await TarpitUnderTest.RunAsync(
            "timeout", ["4", "python3", "-c", $"import socket,ssl; s=socket.socket(); s.bind(('{address}',0)); s.connect(('{address}',443)); ssl._create_unverified_context().wrap_socket(s)"], timeout.Token);

        Assert.True(Regex.IsMatch(nmap.StandardOutput, @"443/tcp\s+open\s+ssl/http\s+nginx"), nmap.StandardOutput);
        Assert.True(curl.ExitCode == CurlTimedOut, $"curl exited {curl.ExitCode}: {curl.StandardError}");
        Assert.True(python.ExitCode == TimedOut, $"python3 exited {python.ExitCode}: {python.StandardError}");
    }

    /// <summary>nginx reads a connection to an ssl listener that does not start with a TLS record as HTTP (ngx_http_ssl_handshake).</summary>
    [SystemFact(false, RealNginx.Binary, "openssl", "curl")]
    public async Task A_plain_http_request_gets_what_nginx_answers_on_its_https_port()
    {
        Prerequisites.Require(false, RealNginx.Binary, "openssl", "curl");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var nginx = await RealNginx.StartAsync(tls: true, timeout.Token);
        await using var tarpit = await TarpitUnderTest.StartAsync(TarpitProtocol.Tls, "endless-hello-request", cancellationToken: timeout.Token);

        var expected = await TarpitUnderTest.RunAsync("curl", ["-sS", "-m", "10", "-D", "-", $"http://127.0.0.1:{nginx.Port}/"], timeout.Token);
        var actual = await TarpitUnderTest.RunAsync("curl", ["-sS", "-m", "10", "-D", "-", $"http://127.0.0.1:{tarpit.Port}/"], timeout.Token);

        Assert.Contains("The plain HTTP request was sent to HTTPS port", expected.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(WithoutDate(expected.StandardOutput), WithoutDate(actual.StandardOutput));
    }

    private static string WithoutDate(string response) => Regex.Replace(response, "^Date: [^\r\n]*\r\n", "", RegexOptions.Multiline);
}
