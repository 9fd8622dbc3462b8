using System.Net;
using System.Text.Json;
using Tarpit.Store;
using Tarpit.SystemTests.Infrastructure;
using Tarpit.SystemTests.Resilience;

namespace Tarpit.SystemTests.Tarpits.Http;

/// <summary>
/// Issue 19 §1: a real nginx in front of the HTTP tarpit, with <c>contrib/nginx/tarpit-locations.conf</c> as it ships.
/// The daemon runs in the server namespace with its firewall on; nginx listens there on the attacker's side and
/// proxies the trap paths to the tarpit on loopback, which trusts 127.0.0.1 and nobody else.
/// </summary>
public sealed class NginxFrontSystemTests
{
    /// <summary>Where nginx listens for the site (the attacker's side of the server namespace).</summary>
    private const int SitePort = 8080;

    /// <summary>The tarpit's port on loopback, the one the contrib file proxies to.</summary>
    private const int TrapPort = 8081;

    /// <summary>curl's exit code for "Operation timed out".</summary>
    private const int CurlTimedOut = 28;

    private static readonly string[] Tools = ["ip", "nft", "curl", "bash", "timeout", RealNginx.Binary];

    [SystemFact(true, "ip", "nft", "curl", "bash", "timeout", RealNginx.Binary)]
    public async Task A_trap_path_through_nginx_is_held_charged_to_the_client_and_bans_it_while_a_forged_forwarded_for_is_ignored()
    {
        Prerequisites.Require(true, Tools);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        await using var scene = await DaemonScene.CreateAsync(ct);
        await File.AppendAllTextAsync(
            scene.ConfigPath,
            $$"""

            [[tarpit]]
            name = "web-traps"
            protocol = "http"
            mode = "drip"
            listen = ["127.0.0.1:{{TrapPort}}", "{{TestNetwork.ServerV4ForInnocent}}:{{TrapPort}}"]
            redirect_ports = []
            decoy = true
            trusted_proxies = ["127.0.0.1/32", "::1/128"]
            interval = "200ms"
            jitter = 0.0
            drip_bytes = 4
            """,
            ct);
        var agent = await scene.StartAsync(ct);
        await using var nginx = await FrontNginx.StartAsync(scene.Network.Server, TestNetwork.ServerV4ForAttacker, SitePort, ct);
        var site = $"http://{TestNetwork.ServerV4ForAttacker}:{SitePort}";

        // The site itself is nginx's, untouched.
        var (siteCode, siteOutput) = await TestNetwork.ExecAsync(scene.Network.Attacker, ["curl", "-sS", "-m", "5", site + "/"], TimeSpan.FromSeconds(10), ct);
        Assert.True(siteCode == 0 && siteOutput.Contains(FrontNginx.SiteAnswer, StringComparison.Ordinal), $"{siteCode}: {siteOutput}");

        // A trap path: held through nginx (the drip reaches the client: buffering off), until curl gives up. While it
        // is held, sessions shows it under the client's address, via the proxy, with the port nginx reported.
        var client = TestNetwork.AttackerV4;
        var trap = TestNetwork.ExecAsync(
            scene.Network.Attacker,
            ["curl", "-sS", "-m", "12", "-D", "-", "-o", "-", site + "/wp-login.php"],
            TimeSpan.FromSeconds(30),
            ct);
        var held = await WaitForHeldAsync(scene, client, ct);
        Assert.Equal("127.0.0.1", held.GetProperty("proxy").GetString());
        Assert.Equal(SitePort, held.GetProperty("original_port").GetInt32());
        Assert.False(held.GetProperty("redirected").GetBoolean());
        var (tableCode, table) = await scene.VerbAsync(["sessions"], ct);
        Assert.True(tableCode == 0 && table.Contains($"via proxy 127.0.0.1 to :{SitePort}", StringComparison.Ordinal), $"{tableCode}: {table}");
        var (trapCode, trapOutput) = await trap;
        Assert.True(trapCode == CurlTimedOut, $"curl through nginx was not held: {trapCode}: {trapOutput}\n{await File.ReadAllTextAsync(nginx.ErrorLog, ct)}");
        // nginx's 404 for the trap path, head and page dripped at 20 bytes a second (about 310 bytes): by curl's 12 s the
        // head and part of the page came through nginx, the end of the page had not: nothing waited in nginx's buffers.
        Assert.Contains("HTTP/1.1 404 Not Found", trapOutput, StringComparison.Ordinal);
        Assert.Contains("<html>", trapOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("</html>", trapOutput, StringComparison.Ordinal);

        // Charged to the client, never to nginx's 127.0.0.1: the connection log, the store's session, the ban.
        await agent.WaitForLineAsync($"is client {client} (X-Forwarded-For)", TimeSpan.FromSeconds(10), ct);
        var released = await agent.WaitForLineAsync($"Released {client}:", TimeSpan.FromSeconds(20), ct);
        Assert.Contains("web-traps (http/drip)", released, StringComparison.Ordinal);
        Assert.DoesNotContain("Released 127.0.0.1:", agent.Output, StringComparison.Ordinal);
        await scene.WaitForElementsAsync([IPNetwork.Parse(client + "/32")], TimeSpan.FromSeconds(20), ct);
        var offenders = await scene.OffendersAsync(ct);
        Assert.DoesNotContain(offenders, e => e.Target.Contains(IPAddress.Loopback));
        var session = await WaitForSessionAsync(scene, IPAddress.Parse(client), ct);
        Assert.Equal("web-traps", session.Tarpit);
        Assert.Equal(SitePort, session.OriginalPort); // X-Tarpit-Target-Port: $server_port, not the tarpit's 8081

        // Banned at the firewall for every other port: its next SSH connection lands in the SSH tarpit.
        var (sshCode, sshOutput) = await TestNetwork.ExecAsync(
            scene.Network.Attacker,
            ["timeout", "5", "bash", "-c", $"exec 3<>/dev/tcp/{TestNetwork.ServerV4ForAttacker}/22 && head -c 4 <&3"],
            TimeSpan.FromSeconds(10),
            ct);
        Assert.True(sshCode == 0 && sshOutput.StartsWith("SSH-", StringComparison.Ordinal), $"{sshCode}: {sshOutput}");

        // A forged X-Forwarded-For sent straight to the tarpit by a peer it does not trust: ignored and noted, the
        // connection charged to the sender (allowlisted here, so held and never banned), the forged address never banned.
        const string forged = "192.0.2.77";
        var (forgedCode, forgedOutput) = await TestNetwork.ExecAsync(
            scene.Network.Innocent,
            ["curl", "-sS", "-m", "2", "-o", "/dev/null", "-H", $"X-Forwarded-For: {forged}", $"http://{TestNetwork.ServerV4ForInnocent}:{TrapPort}/wp-login.php"],
            TimeSpan.FromSeconds(10),
            ct);
        Assert.True(forgedCode == CurlTimedOut, $"{forgedCode}: {forgedOutput}");
        var ignored = await agent.WaitForLineAsync($"from {TestNetwork.InnocentV4} on web-traps: the peer is not a trusted proxy", TimeSpan.FromSeconds(10), ct);
        Assert.Contains(forged, ignored, StringComparison.Ordinal);
        await agent.WaitForLineAsync($"Released {TestNetwork.InnocentV4}:", TimeSpan.FromSeconds(20), ct);
        offenders = await scene.OffendersAsync(ct);
        Assert.DoesNotContain(offenders, e => e.Target.Contains(IPAddress.Parse(forged)) || e.Target.Contains(IPAddress.Parse(TestNetwork.InnocentV4)));
        Assert.DoesNotContain($"is client {forged}", agent.Output, StringComparison.Ordinal);
    }

    /// <summary>The <c>sessions --json</c> entry of <paramref name="address"/>, once the daemon holds it.</summary>
    private static async Task<JsonElement> WaitForHeldAsync(DaemonScene scene, string address, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var (code, output) = await scene.VerbAsync(["sessions", "--json"], cancellationToken);
            Assert.True(code == 0, $"sessions --json: {code}: {output}");
            // The JSON array is one line; anything else on the output is the verb's log.
            var json = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("[{", StringComparison.Ordinal) || l == "[]") ?? "[]";
            using var document = JsonDocument.Parse(json);
            foreach (var entry in document.RootElement.EnumerateArray())
            {
                if (entry.GetProperty("address").GetString() == address)
                {
                    return entry.Clone();
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"{address} not held: {output}");
            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>The first finished session the store holds for <paramref name="address"/> (the session writer is a queue).</summary>
    private static async Task<SessionRecord> WaitForSessionAsync(DaemonScene scene, IPAddress address, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            using (var store = BanStore.Open(scene.StateDir))
            {
                var (latest, _, _, _) = store.SessionsOf(address, 10);
                if (latest.Count > 0)
                {
                    return latest[0];
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"no stored session of {address}. Agent output:\n{scene.Agent?.Output}");
            await Task.Delay(200, cancellationToken);
        }
    }
}
