using System.Diagnostics;
using System.Net;
using Tarpit.SystemTests.Infrastructure;
using Xunit.Abstractions;

namespace Tarpit.SystemTests.Fleet;

/// <summary>
/// Issue 17, the fleet: CrowdSec's real LAPI (Debian's 1.4.6) and two agents, each in its own namespace on one bridge
/// with an attacker (<see cref="FleetNetwork"/>), each a machine and a bouncer of that LAPI with its own nft. An
/// offender caught on A is tarpitted on B; <c>cscli decisions add</c> reaches both and <c>delete</c> lifts both; B's
/// allowlist wins over the fleet; B rides out a LAPI outage and catches up; B rebuilt (empty store and ruleset) gets
/// everything back from the stream's startup snapshot.
/// </summary>
public sealed class CrowdsecFleetSystemTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static readonly IPNetwork Attacker = IPNetwork.Parse(FleetNetwork.AttackerV4 + "/32");
    private static readonly IPNetwork Range = IPNetwork.Parse("203.0.113.0/24");
    private static readonly IPNetwork Cscli = IPNetwork.Parse("192.0.2.60/32");
    private static readonly IPNetwork AllowedOnB = IPNetwork.Parse("198.51.100.7/32");
    private static readonly IPNetwork DuringOutage = IPNetwork.Parse("192.0.2.70/32");

    [SystemFact(true, "ip", "nft", "crowdsec", "cscli", "bash")]
    public async Task An_offender_caught_on_one_host_is_tarpitted_on_the_other_through_the_lapi_and_survives_its_outage_and_a_rebuilt_host()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        var directory = Directory.CreateTempSubdirectory("tarpit-fleet-").FullName;
        try
        {
            await using var network = await FleetNetwork.CreateAsync(cts.Token);
            await using var lapi = await RealLapi.StartAsync(network.Lapi, Path.Combine(directory, "lapi"), cts.Token, listen: $"{FleetNetwork.LapiV4}:8080");
            await lapi.AddMachineAsync("cscli-host", "machine-password-0123", cts.Token);
            var credentialsA = Path.Combine(directory, "hostA.yaml");
            var credentialsB = Path.Combine(directory, "hostB.yaml");
            await lapi.CscliAsync(["machines", "add", "hostA", "--password", "host-a-password-4567", "-f", credentialsA, "--url", lapi.Url], cts.Token);
            await lapi.CscliAsync(["machines", "add", "hostB", "--password", "host-b-password-8901", "-f", credentialsB, "--url", lapi.Url], cts.Token);
            var keyA = await lapi.AddBouncerAsync("host-a", cts.Token);
            var keyB = await lapi.AddBouncerAsync("host-b", cts.Token);
            var binary = AgentBinary.Jit;
            await using var a = await FleetHost.CreateAsync(network.HostA, Path.Combine(directory, "a"), lapi.Url, keyA, credentialsA, [], binary, cts.Token);
            await using var b = await FleetHost.CreateAsync(network.HostB, Path.Combine(directory, "b"), lapi.Url, keyB, credentialsB, ["198.51.100.0/24"], binary, cts.Token);
            await Task.WhenAll(a.StartAsync(cts.Token), b.StartAsync(cts.Token));

            // Caught on A (its log, and the ban verb): A pushes, B pulls, and the attacker lands in B's tarpit.
            var clock = Stopwatch.StartNew();
            await a.OffendAsync(FleetNetwork.AttackerV4, cts.Token);
            var (banned, banOutput) = await a.VerbAsync(["ban", "203.0.113.0/24", "--for", "30m"], cts.Token);
            Assert.True(banned == 0, banOutput);
            await a.WaitUntilAsync("banned locally", p => p.Contains(Attacker) && p.Contains(Range), Bound, cts.Token);
            var took = await b.WaitUntilAsync("redirected from A", p => p.Contains(Attacker) && p.Contains(Range), Bound, cts.Token);
            output.WriteLine($"offence and ban verb on A -> both elements in B's nft after {clock.Elapsed.TotalMilliseconds:0} ms (pull_interval 1s, verb included; B waited {took.TotalMilliseconds:0} ms)");
            var onB = (await b.OffendersAsync(cts.Token)).Single(e => e.Target == Attacker);
            Assert.InRange(onB.Expires!.Value, TimeSpan.FromMinutes(55), TimeSpan.FromHours(1));
            var (_, banner) = await TestNetwork.ExecAsync(
                network.Attacker,
                ["bash", "-c", $"exec 3<>/dev/tcp/{FleetNetwork.HostBV4}/22 && timeout 5 head -c 8 <&3"],
                TimeSpan.FromSeconds(15),
                cts.Token);
            Assert.StartsWith("SSH-2.0-", banner, StringComparison.Ordinal);
            var (listed, list) = await b.VerbAsync(["list", "--source", "crowdsec:tarpit-agent@hostA"], cts.Token);
            Assert.True(listed == 0, list);
            Assert.Contains(FleetNetwork.AttackerV4, list, StringComparison.Ordinal);
            Assert.Contains("203.0.113.0/24", list, StringComparison.Ordinal);

            // cscli reaches both; B's allowlist wins on B only; a delete lifts it on both.
            await lapi.CscliAsync(["decisions", "add", "--ip", "198.51.100.7", "--duration", "2h"], cts.Token);
            await lapi.CscliAsync(["decisions", "add", "--ip", "192.0.2.60", "--duration", "1h"], cts.Token);
            await a.WaitUntilAsync("redirecting cscli's decisions", p => p.Contains(Cscli) && p.Contains(AllowedOnB), Bound, cts.Token);
            await b.WaitUntilAsync("redirecting cscli's decision", p => p.Contains(Cscli), Bound, cts.Token);
            await b.Agent!.WaitForLineAsync("1 allowlisted here", Bound, cts.Token);
            Assert.DoesNotContain(await b.OffendersAsync(cts.Token), e => e.Target == AllowedOnB);
            await lapi.CscliAsync(["decisions", "delete", "--ip", "192.0.2.60"], cts.Token);
            await a.WaitUntilAsync("lifted after the delete", p => !p.Contains(Cscli) && p.Contains(AllowedOnB), Bound, cts.Token);
            await b.WaitUntilAsync("lifted after the delete", p => !p.Contains(Cscli) && p.Contains(Attacker), Bound, cts.Token);

            // The LAPI stopped for 15 s (15 pulls at 1 s; the backoff reaches its 30 s cap later, so a minute proves no
            // more): B keeps every redirect, warns once, and takes a decision made meanwhile once the LAPI is back.
            await lapi.StopAsync();
            await b.Agent.WaitForLineAsync("CrowdSec LAPI unavailable", Bound, cts.Token);
            await Task.Delay(TimeSpan.FromSeconds(15), cts.Token);
            var kept = (await b.OffendersAsync(cts.Token)).Select(e => e.Target).ToHashSet();
            Assert.True(kept.Contains(Attacker) && kept.Contains(Range), $"B dropped redirects while the LAPI was down: [{string.Join(", ", kept)}]");
            Assert.Equal(1, Count(b.Agent.Output, "CrowdSec LAPI unavailable"));
            await lapi.RunAsync(cts.Token);
            await lapi.CscliAsync(["decisions", "add", "--ip", "192.0.2.70", "--duration", "1h"], cts.Token);
            await b.WaitUntilAsync("caught up after the outage", p => p.Contains(DuringOutage) && p.Contains(Attacker) && p.Contains(Range), TimeSpan.FromSeconds(60), cts.Token);
            await b.Agent.WaitForLineAsync("CrowdSec LAPI reachable again", Bound, cts.Token);

            // B rebuilt (stopped, its store and its table gone, as a reinstalled host) with the LAPI up: the startup
            // snapshot alone brings back every redirect of the fleet, still without the allowlisted one.
            var outputB = b.Agent.Output;
            await b.StopAsync();
            await b.NftAsync(["delete", "table", "inet", "tarpit"], cts.Token);
            Directory.Delete(b.StateDir, recursive: true);
            await b.StartAsync(cts.Token);
            await b.Agent!.WaitForLineAsync("CrowdSec startup snapshot", Bound, cts.Token);
            await b.WaitUntilAsync("restored from the snapshot", p => p.Contains(Attacker) && p.Contains(Range) && p.Contains(DuringOutage), Bound, cts.Token);
            var restored = (await b.OffendersAsync(cts.Token)).Select(e => e.Target).ToHashSet();
            Assert.DoesNotContain(AllowedOnB, restored);
            Assert.DoesNotContain(Cscli, restored);

            // B is a machine too, but the fleet's decisions are never pushed back; no secret is ever printed.
            outputB += b.Agent.Output;
            Assert.DoesNotContain("CrowdSec: pushed", outputB, StringComparison.Ordinal);
            Assert.Contains("CrowdSec: pushed", a.Agent!.Output, StringComparison.Ordinal);
            foreach (var secret in new[] { keyA, keyB, "host-a-password-4567", "host-b-password-8901" })
            {
                Assert.DoesNotContain(secret, a.Agent.Output + outputB, StringComparison.Ordinal);
            }

            output.WriteLine(string.Join('\n', outputB.Split('\n').Where(l => l.Contains("CrowdSec", StringComparison.Ordinal) && !l.Contains("CrowdSec decision", StringComparison.Ordinal))));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
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
