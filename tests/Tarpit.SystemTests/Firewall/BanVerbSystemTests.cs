using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.Firewall;

/// <summary>The ban, unban and list verbs against real nft in a server namespace; the attacker's connections tell.</summary>
public sealed class BanVerbSystemTests
{
    [SystemFact(true, "ip", "nft", "conntrack", "python3")]
    public async Task A_banned_attacker_lands_in_the_tarpit_until_the_ban_expires_on_ipv4_and_ipv6()
    {
        Prerequisites.Require(true, "ip", "nft", "conntrack", "python3");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var scenario = await FirewallScenario.CreateAsync("", cutEstablished: true, cts.Token);
        var attacker = scenario.Network.Attacker;
        Assert.Equal("REAL", await FirewallScenario.ConnectAsync(attacker, TestNetwork.ServerV4ForAttacker, cts.Token));
        Assert.Equal("REAL", await FirewallScenario.ConnectAsync(attacker, TestNetwork.ServerV6ForAttacker, cts.Token));

        var watcher = FirewallScenario.WatchTransitionsAsync(attacker, TestNetwork.ServerV4ForAttacker, TestNetwork.ServerV6ForAttacker, TimeSpan.FromSeconds(60), cts.Token);
        await Task.Delay(500, cts.Token);

        // Short enough to watch it expire, long enough for a loaded CI machine to connect while it holds.
        var (code, output) = await scenario.AgentAsync(["ban", TestNetwork.AttackerV4, TestNetwork.AttackerV6, "--for", "8s", "--reason", "system test"], cts.Token);
        var innocent = await Task.WhenAll(
            FirewallScenario.ConnectAsync(scenario.Network.Innocent, TestNetwork.ServerV4ForInnocent, cts.Token),
            FirewallScenario.ConnectAsync(scenario.Network.Innocent, TestNetwork.ServerV6ForInnocent, cts.Token));
        var transitions = await watcher;

        Assert.True(code == 0, output);
        Assert.Equal(["REAL", "REAL"], innocent);
        // A watcher connection open to the real port at the moment of the ban is cut (cut_established): an ERR there
        // is the cut working, not a gap in the redirect.
        Assert.Equal(["4 TARPIT", "4 REAL"], transitions.Where(t => t.StartsWith('4')).SkipWhile(t => t is "4 REAL" or "4 ERR"));
        Assert.Equal(["6 TARPIT", "6 REAL"], transitions.Where(t => t.StartsWith('6')).SkipWhile(t => t is "6 REAL" or "6 ERR"));
        Assert.Empty(await scenario.OffendersAsync(cts.Token));
        var (_, history) = await scenario.AgentAsync(["list", "--all", "--json"], cts.Token);
        Assert.Contains("\"reason\": \"system test\"", history, StringComparison.Ordinal);
        Assert.Contains("\"active\": false", history, StringComparison.Ordinal);
    }

    [SystemFact(true, "ip", "nft", "python3")]
    public async Task A_longer_ban_of_an_address_already_in_the_set_replaces_its_timeout_and_a_new_one_is_created()
    {
        Prerequisites.Require(true, "ip", "nft", "python3");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var scenario = await FirewallScenario.CreateAsync("", cutEstablished: true, cts.Token);

        var (first, firstOutput) = await scenario.AgentAsync(["ban", "198.18.0.5", "--for", "1m"], cts.Token);
        var (second, secondOutput) = await scenario.AgentAsync(["ban", "198.18.0.5", "198.18.0.6", "--for", "2h"], cts.Token);

        Assert.True(first == 0, firstOutput);
        Assert.True(second == 0, secondOutput);
        var elements = await scenario.OffendersAsync(cts.Token);
        // The first verb created the element; the second found it there ("File exists") and replaced its timeout.
        foreach (var target in (string[])["198.18.0.5/32", "198.18.0.6/32"])
        {
            var element = elements.Single(e => e.Target == System.Net.IPNetwork.Parse(target));
            Assert.True(element.Expires > TimeSpan.FromHours(1), target + " should be redirected for about 2h");
        }
    }

    [SystemFact(true, "ip", "nft", "conntrack", "python3")]
    public async Task A_prefix_ban_redirects_the_whole_network_leaves_the_innocent_alone_and_unban_lifts_it()
    {
        Prerequisites.Require(true, "ip", "nft", "conntrack", "python3");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var scenario = await FirewallScenario.CreateAsync("", cutEstablished: true, cts.Token);
        var attacker = scenario.Network.Attacker;

        var (code, output) = await scenario.AgentAsync(["ban", "192.0.2.0/24", "2001:db8:1::/64", "--for", "1h"], cts.Token);

        Assert.True(code == 0, output);
        Assert.Equal("TARPIT", await FirewallScenario.ConnectAsync(attacker, TestNetwork.ServerV4ForAttacker, cts.Token));
        Assert.Equal("TARPIT", await FirewallScenario.ConnectAsync(attacker, TestNetwork.ServerV6ForAttacker, cts.Token));
        Assert.Equal("REAL", await FirewallScenario.ConnectAsync(scenario.Network.Innocent, TestNetwork.ServerV4ForInnocent, cts.Token));
        Assert.Equal("REAL", await FirewallScenario.ConnectAsync(scenario.Network.Innocent, TestNetwork.ServerV6ForInnocent, cts.Token));
        var (_, list) = await scenario.AgentAsync(["list"], cts.Token);
        Assert.Contains("192.0.2.0/24", list, StringComparison.Ordinal);

        var (unban, unbanOutput) = await scenario.AgentAsync(["unban", "192.0.2.0/24"], cts.Token);
        var (again, againOutput) = await scenario.AgentAsync(["unban", "192.0.2.0/24"], cts.Token);
        var (never, neverOutput) = await scenario.AgentAsync(["unban", "192.0.3.0/24"], cts.Token);

        Assert.True(unban == 0, unbanOutput);
        Assert.True(again == 0, againOutput);
        Assert.Contains("192.0.2.0/24 is not banned any more: its ban was lifted", againOutput, StringComparison.Ordinal);
        Assert.True(never == 1, neverOutput);
        Assert.Equal("REAL", await FirewallScenario.ConnectAsync(attacker, TestNetwork.ServerV4ForAttacker, cts.Token));
        Assert.Equal("TARPIT", await FirewallScenario.ConnectAsync(attacker, TestNetwork.ServerV6ForAttacker, cts.Token));
    }

    [SystemFact(true, "ip", "nft", "python3")]
    public async Task An_allowlisted_address_is_refused_with_exit_3_and_bad_input_with_exit_2_and_nothing_changes()
    {
        Prerequisites.Require(true, "ip", "nft", "python3");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var scenario = await FirewallScenario.CreateAsync(", \"198.51.100.0/24\"", cutEstablished: false, cts.Token);

        var (allowlisted, allowOutput) = await scenario.AgentAsync(["ban", TestNetwork.AttackerV4, TestNetwork.InnocentV4], cts.Token);
        var (hostBits, hostBitsOutput) = await scenario.AgentAsync(["ban", "192.0.2.2/24"], cts.Token);
        var (hostname, _) = await scenario.AgentAsync(["ban", "example.com"], cts.Token);
        var (duration, _) = await scenario.AgentAsync(["ban", TestNetwork.AttackerV4, "--for", "soon"], cts.Token);

        Assert.True(allowlisted == 3, allowOutput);
        Assert.Contains("allowlisted", allowOutput, StringComparison.Ordinal);
        Assert.Equal(2, hostBits);
        Assert.Contains("did you mean 192.0.2.0/24", hostBitsOutput, StringComparison.Ordinal);
        Assert.Equal(2, hostname);
        Assert.Equal(2, duration);
        Assert.Empty(await scenario.OffendersAsync(cts.Token));
        Assert.Equal("REAL", await FirewallScenario.ConnectAsync(scenario.Network.Attacker, TestNetwork.ServerV4ForAttacker, cts.Token));
    }
}
