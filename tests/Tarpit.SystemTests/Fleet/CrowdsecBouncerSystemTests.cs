using System.Diagnostics;
using System.Net;
using Tarpit.SystemTests.Infrastructure;
using Tarpit.SystemTests.Resilience;
using Xunit.Abstractions;

namespace Tarpit.SystemTests.Fleet;

/// <summary>
/// Issue 17, bouncer, against CrowdSec's real LAPI (Debian's 1.4.6) running in the agent's namespace with a private
/// config: <c>cscli decisions add</c> reaches the kernel as a redirect with the decision's time left, a Range as an
/// interval element, an allowlisted address never; <c>cscli decisions delete</c> lifts it; the LAPI stopped keeps every
/// redirect and the agent catches up when it is back; a restarted agent keeps them and takes the startup snapshot.
/// </summary>
public sealed class CrowdsecBouncerSystemTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static readonly IPNetwork Attacker = IPNetwork.Parse("192.0.2.2/32");
    private static readonly IPNetwork Range = IPNetwork.Parse("203.0.113.0/24");
    private static readonly IPNetwork Later = IPNetwork.Parse("192.0.2.50/32");
    private static readonly IPNetwork Allowlisted = IPNetwork.Parse("198.51.100.2/32");

    [SystemFact(true, "ip", "nft", "crowdsec", "cscli")]
    public async Task Decisions_of_the_lapi_become_redirects_survive_its_outage_and_a_restart_and_are_lifted_by_a_delete()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        await using var scene = await DaemonScene.CreateAsync(cts.Token);
        await using var lapi = await RealLapi.StartAsync(scene.Network.Server, Path.Combine(scene.Directory, "lapi"), cts.Token);
        await lapi.AddMachineAsync("cscli-host", "machine-password-0123", cts.Token);
        var key = await lapi.AddBouncerAsync("tarpit-agent", cts.Token);
        var keyFile = Path.Combine(scene.Directory, "bouncer.key");
        await File.WriteAllTextAsync(keyFile, key + "\n", cts.Token);
        await File.AppendAllTextAsync(scene.ConfigPath, $"\n[crowdsec]\nlapi_url = \"{lapi.Url}\"\nbouncer_key_file = \"{keyFile}\"\npull_interval = \"1s\"\nresync_interval = \"5s\"\n", cts.Token);

        var agent = await scene.StartAsync(cts.Token);
        var clock = Stopwatch.StartNew();
        await lapi.CscliAsync(["decisions", "add", "--ip", "192.0.2.2", "--duration", "2h"], cts.Token);
        await lapi.CscliAsync(["decisions", "add", "--range", "203.0.113.0/24", "--duration", "30m"], cts.Token);
        await lapi.CscliAsync(["decisions", "add", "--ip", "198.51.100.2", "--duration", "2h"], cts.Token);
        var took = await scene.WaitForElementsAsync([Attacker, Range], Bound, cts.Token, clock);
        output.WriteLine($"cscli decisions add (3) -> 2 elements in nft after {took.TotalMilliseconds:0} ms (pull_interval 1s)");
        var elements = await scene.OffendersAsync(cts.Token);
        Assert.DoesNotContain(elements, e => e.Target == Allowlisted);
        Assert.InRange(elements.Single(e => e.Target == Attacker).Expires!.Value, TimeSpan.FromMinutes(115), TimeSpan.FromHours(2));
        Assert.InRange(elements.Single(e => e.Target == Range).Expires!.Value, TimeSpan.FromMinutes(25), TimeSpan.FromMinutes(30));
        var (listed, list) = await scene.VerbAsync(["list", "--source", "crowdsec:cscli"], cts.Token);
        Assert.True(listed == 0, list);
        Assert.Contains("192.0.2.2", list, StringComparison.Ordinal);
        Assert.Contains("crowdsec:cscli", list, StringComparison.Ordinal);

        // The LAPI stopped: every redirect stays, one warning, and a decision made while it was down arrives after.
        await lapi.StopAsync();
        await agent.WaitForLineAsync("CrowdSec LAPI unavailable", Bound, cts.Token);
        await Task.Delay(TimeSpan.FromSeconds(15), cts.Token);
        elements = await scene.OffendersAsync(cts.Token);
        Assert.Contains(elements, e => e.Target == Attacker);
        Assert.Contains(elements, e => e.Target == Range);
        Assert.Equal(1, Count(agent.Output, "CrowdSec LAPI unavailable"));
        await lapi.RunAsync(cts.Token);
        await lapi.CscliAsync(["decisions", "add", "--ip", "192.0.2.50", "--duration", "1h"], cts.Token);
        await scene.WaitForElementsAsync([Attacker, Range, Later], TimeSpan.FromSeconds(60), cts.Token);
        await agent.WaitForLineAsync("CrowdSec LAPI reachable again", Bound, cts.Token);

        // A delete lifts it (and only it).
        await lapi.CscliAsync(["decisions", "delete", "--ip", "192.0.2.50"], cts.Token);
        await WaitUntilAsync(scene, elements => !elements.Any(e => e.Target == Later), cts.Token);

        // Restarted while the LAPI is down: the stored decisions are back in the kernel from the store alone.
        await lapi.StopAsync();
        await agent.StopAsync(TimeSpan.FromSeconds(30));
        await agent.DisposeAsync();
        agent = await scene.StartAsync(cts.Token);
        await scene.WaitForElementsAsync([Attacker, Range], Bound, cts.Token);
        await agent.WaitForLineAsync("CrowdSec LAPI unavailable", Bound, cts.Token);

        // The LAPI back: the startup snapshot keeps them, and lifts one deleted while the agent could not hear it.
        await lapi.RunAsync(cts.Token);
        await lapi.CscliAsync(["decisions", "delete", "--range", "203.0.113.0/24"], cts.Token);
        await agent.WaitForLineAsync("CrowdSec startup snapshot", TimeSpan.FromSeconds(60), cts.Token);
        await WaitUntilAsync(scene, elements => !elements.Any(e => e.Target == Range) && elements.Any(e => e.Target == Attacker), cts.Token);
        Assert.DoesNotContain("machine-password-0123", agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(key, agent.Output, StringComparison.Ordinal);
        output.WriteLine(agent.Output.Split('\n').Where(l => l.Contains("CrowdSec", StringComparison.Ordinal)).Aggregate("", (a, l) => a + l + "\n"));
    }

    [SystemFact(true, "ip", "nft", "crowdsec", "cscli", "curl")]
    public async Task A_ban_decided_here_is_pushed_as_an_alert_with_its_decision_and_never_comes_back_as_a_new_ban()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var scene = await DaemonScene.CreateAsync(cts.Token);
        await using var lapi = await RealLapi.StartAsync(scene.Network.Server, Path.Combine(scene.Directory, "lapi"), cts.Token);
        await lapi.AddMachineAsync("cscli-host", "machine-password-0123", cts.Token);
        var credentials = Path.Combine(scene.Directory, "hostA.yaml");
        await lapi.CscliAsync(["machines", "add", "hostA", "--password", "host-a-password-4567", "-f", credentials, "--url", lapi.Url], cts.Token);
        var key = await lapi.AddBouncerAsync("tarpit-agent", cts.Token);
        await File.AppendAllTextAsync(
            scene.ConfigPath,
            $"\n[crowdsec]\nbouncer_key = \"{key}\"\npull_interval = \"1s\"\ncredentials_file = \"{credentials}\"\n",
            cts.Token);
        var agent = await scene.StartAsync(cts.Token);

        await scene.OffendAsync("192.0.2.2", cts.Token);
        await scene.WaitForElementsAsync([Attacker], Bound, cts.Token);
        // What another host's bouncer pulls: its own key, the stream's startup snapshot, read with curl.
        var otherKey = await lapi.AddBouncerAsync("host-b", cts.Token);
        var clock = Stopwatch.StartNew();
        var decisions = "";
        while (clock.Elapsed < Bound && !decisions.Contains("192.0.2.2", StringComparison.Ordinal))
        {
            (_, decisions) = await TestNetwork.ExecAsync(
                scene.Network.Server,
                ["curl", "-s", "-H", $"X-Api-Key: {otherKey}", lapi.Url + "v1/decisions/stream?startup=true&scopes=ip,range"],
                TimeSpan.FromSeconds(10),
                cts.Token);
            await Task.Delay(200, cts.Token);
        }

        output.WriteLine($"local ban -> decision in another bouncer's stream after {clock.Elapsed.TotalMilliseconds:0} ms (polled every 200 ms): {decisions}");
        Assert.Contains("\"scenario\":\"tarpit-agent/sshd\"", decisions, StringComparison.Ordinal);
        Assert.Contains("\"origin\":\"tarpit-agent@hostA\"", decisions, StringComparison.Ordinal);

        // The agent's own bouncer gets the decision back: a refresh of the local ban, never a second one or a push.
        await Task.Delay(TimeSpan.FromSeconds(3), cts.Token);
        var (listed, list) = await scene.VerbAsync(["list", "--json"], cts.Token);
        Assert.True(listed == 0, list);
        Assert.Contains("\"sshd\"", list, StringComparison.Ordinal);
        Assert.DoesNotContain("crowdsec:", list, StringComparison.Ordinal);
        Assert.DoesNotContain("host-a-password-4567", agent.Output, StringComparison.Ordinal);
        await agent.WaitForLineAsync("CrowdSec decision: 192.0.2.2 from tarpit-agent@hostA", Bound, cts.Token);
        Assert.Equal(1, Count(agent.Output, "CrowdSec: pushed 1 alerts"));
    }

    private static async Task WaitUntilAsync(DaemonScene scene, Func<IReadOnlyList<Tarpit.Firewall.FirewallElement>, bool> done, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<Tarpit.Firewall.FirewallElement> elements = [];
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            elements = await scene.OffendersAsync(cancellationToken);
            if (done(elements))
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"nft holds [{string.Join(", ", elements.Select(e => e.Target))}]. Agent output:\n{scene.Agent?.Output}");
    }

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
