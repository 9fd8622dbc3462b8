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

        var result = await TarpitUnderTest.RunAsync("timeout", ["10", "bash", "-c", $"exec 3<>/dev/tcp/127.0.0.1/{tarpit.Port}; printf 'GET / HTTP/1.1\\r\\n' >&3; od -An -tx1 <&3"], timeout.Token);

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

    [SystemFact(false, "nmap")]
    public async Task Nmap_version_detection_reports_an_ssl_service()
    {
        Prerequisites.Require(false, "nmap");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        await using var tarpit = await TarpitUnderTest.StartAsync(TarpitProtocol.Tls, "slow-hello", cancellationToken: timeout.Token);

        var result = await TarpitUnderTest.RunAsync("nmap", ["-sV", "-Pn", "-n", "--host-timeout", "200s", "--script-timeout", "10s", "-p", tarpit.Port.ToString(CultureInfo.InvariantCulture), "127.0.0.1"], timeout.Token);

        Assert.True(Regex.IsMatch(result.StandardOutput, $@"{tarpit.Port}/tcp\s+open\s+ssl"), result.StandardOutput);
    }
}
