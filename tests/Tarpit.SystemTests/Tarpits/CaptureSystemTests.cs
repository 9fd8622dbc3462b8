using System.Text.Json;
using Tarpit.Config;
using Tarpit.SystemTests.Infrastructure;
using Tarpit.SystemTests.Resilience;

namespace Tarpit.SystemTests.Tarpits;

/// <summary>
/// Issue 19 §2 with the real daemon in a server namespace the test created: a real curl in the attacker namespace
/// asks the HTTP tarpit (drip) for a trap path with a header of its own, then the TLS tarpit (handshake-drip) with SNI
/// and ALPN; <c>show ADDR --json</c> then gives the HTTP request's capture (method, target, version, Host, User-Agent,
/// every header name and its value), the ClientHello's (SNI, ALPN, TLS 1.3 offered, a JA4 fingerprint) and the HTTP
/// request inside TLS, while the connections are still held, and the text <c>show</c> prints them too.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CaptureSystemTests
{
    /// <summary>curl's exit code when its <c>-m</c> passed: the client was still being held.</summary>
    private const int CurlTimedOut = 28;

    [SystemFact(true, "ip", "nft", "curl")]
    public async Task Show_json_gives_the_capture_of_a_real_curl_over_http_and_over_tls_with_sni_and_alpn()
    {
        Prerequisites.Require(true, "ip", "nft", "curl");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        await using var scene = await DaemonScene.CreateAsync(ct);
        await File.AppendAllTextAsync(scene.ConfigPath, $"""

            [[tarpit]]
            name = "web"
            protocol = "http"
            mode = "{ModeCatalog.HttpDrip}"
            listen = ["0.0.0.0:8080"]
            interval = "1s"

            [[tarpit]]
            name = "tls"
            protocol = "tls"
            mode = "{ModeCatalog.TlsHandshakeDrip}"
            listen = ["0.0.0.0:8443"]
            interval = "1s"
            """, ct);
        await scene.StartAsync(ct);
        var server = TestNetwork.ServerV4ForAttacker;

        var (code, output) = await TestNetwork.ExecAsync(
            scene.Network.Attacker,
            ["curl", "-sS", "-m", "3", "-o", "/dev/null", "-H", "X-Probe: capture-me", "-H", "Content-Length: 0", $"http://{server}:8080/wp-login.php?x=1"],
            TimeSpan.FromSeconds(20),
            ct);
        Assert.True(code == CurlTimedOut, $"curl http exited {code}: {output}");
        (code, output) = await TestNetwork.ExecAsync(
            scene.Network.Attacker,
            ["curl", "-sS", "-k", "-m", "3", "-o", "/dev/null", "--resolve", $"www.example.org:8443:{server}", "https://www.example.org:8443/index.html"],
            TimeSpan.FromSeconds(20),
            ct);
        Assert.True(code == CurlTimedOut, $"curl https exited {code}: {output}");

        var captures = await WaitForCapturesAsync(scene, 3, ct);

        var http = Assert.Single(captures, c => c.GetProperty("tarpit").GetString() == "web").GetProperty("capture");
        Assert.Equal(("GET", "/wp-login.php?x=1", "HTTP/1.1", $"{server}:8080"), (http.GetProperty("method").GetString(), http.GetProperty("target").GetString(), http.GetProperty("version").GetString(), http.GetProperty("host").GetString()));
        Assert.StartsWith("curl/", http.GetProperty("user_agent").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, http.GetProperty("content_length").GetInt64());
        var headers = http.GetProperty("headers").EnumerateArray().ToDictionary(h => h.GetProperty("name").GetString()!, h => h.GetProperty("value").GetString());
        Assert.Equal("capture-me", headers["X-Probe"]);
        Assert.Equal("*/*", headers["Accept"]);
        Assert.Equal(headers.Count, http.GetProperty("headers_seen").GetInt32());

        var hello = Assert.Single(captures, c => c.GetProperty("protocol").GetString() == "tls").GetProperty("capture");
        Assert.Equal("www.example.org", hello.GetProperty("sni").GetString());
        Assert.Contains("http/1.1", hello.GetProperty("alpn").GetString(), StringComparison.Ordinal);
        Assert.Contains("TLS 1.3", hello.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        Assert.Matches("^t13d[0-9]{4}(h2|h1)_[0-9a-f]{12}_[0-9a-f]{12}$", hello.GetProperty("ja4").GetString());

        var inside = Assert.Single(captures, c => c.GetProperty("tarpit").GetString() == "tls" && c.GetProperty("protocol").GetString() == "http").GetProperty("capture");
        Assert.Equal(("/index.html", "www.example.org:8443"), (inside.GetProperty("target").GetString(), inside.GetProperty("host").GetString()));

        (code, output) = await scene.VerbAsync(["show", TestNetwork.AttackerV4], ct);
        Assert.True(code == 0, output);
        Assert.Contains("captures: 3", output, StringComparison.Ordinal);
        Assert.Contains("#1 GET /wp-login.php?x=1 HTTP/1.1", output, StringComparison.Ordinal);
        Assert.Contains("sni www.example.org", output, StringComparison.Ordinal);
    }

    /// <summary>Asks <c>show --json</c> every 200 ms until it has <paramref name="count"/> captures (at most 20 s).</summary>
    private static async Task<List<JsonElement>> WaitForCapturesAsync(DaemonScene scene, int count, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var (code, output) = await scene.VerbAsync(["show", TestNetwork.AttackerV4, "--json"], cancellationToken);
            Assert.True(code == 0, $"show --json exited {code}: {output}");
            var captures = JsonDocument.Parse(output).RootElement.GetProperty("captures").GetProperty("latest").EnumerateArray().ToList();
            if (captures.Count >= count)
            {
                return captures;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"show --json had {captures.Count} captures, not {count}, after 20 s:\n{output}\nagent:\n{scene.Agent?.Output}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }
}
