using System.Diagnostics;
using System.Net;
using Tarpit.SystemTests.Infrastructure;
using Xunit.Abstractions;

namespace Tarpit.SystemTests.Resilience;

/// <summary>
/// Someone else removes the agent's table while it runs: <c>nft flush ruleset</c> (what every
/// <c>systemctl reload nftables</c> does with Debian's <c>/etc/nftables.conf</c>) or <c>nft delete table</c>. The
/// real daemon, real nft, all inside a namespace the test created. The agent follows <c>nft monitor</c>, so the table
/// and every ban come back within about a second; the bound here is generous for a loaded machine, the figure is printed.
/// </summary>
public sealed class NftReloadSystemTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RestoreBound = TimeSpan.FromSeconds(20);

    private static readonly IPNetwork[] Stored =
    [
        IPNetwork.Parse("192.0.2.2/32"), IPNetwork.Parse("2001:db8:1::/64"), IPNetwork.Parse("203.0.113.0/24"),
    ];

    [SystemFact(true, "ip", "nft")]
    public Task After_nft_flush_ruleset_the_agent_restores_its_table_and_every_ban_and_a_ban_decided_in_the_gap_reaches_the_kernel() =>
        RemovedAndRestoredAsync(["flush", "ruleset"]);

    [SystemFact(true, "ip", "nft")]
    public Task After_nft_delete_table_the_agent_restores_its_table_and_every_ban_and_a_ban_decided_in_the_gap_reaches_the_kernel() =>
        RemovedAndRestoredAsync(["delete", "table", "inet", "tarpit"]);

    private async Task RemovedAndRestoredAsync(string[] removal)
    {
        Prerequisites.Require(true, "ip", "nft");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        await using var scene = await DaemonScene.CreateAsync(cts.Token);
        var agent = await scene.StartAsync(cts.Token);
        var (code, banned) = await scene.VerbAsync(["ban", .. Stored.Select(t => t.ToString()), "--for", "2h"], cts.Token);
        Assert.True(code == 0, banned);
        await scene.WaitForElementsAsync(Stored, RestoreBound, cts.Token);

        var clock = Stopwatch.StartNew();
        var (removed, nftOutput) = await scene.NftAsync(removal, cts.Token);
        Assert.True(removed == 0, nftOutput);
        // A ban the daemon decides right in the gap: its batch may meet the missing table, and must not be lost.
        await scene.OffendAsync("192.0.2.77", cts.Token);
        var restored = await scene.WaitForElementsAsync([.. Stored, IPNetwork.Parse("192.0.2.77/32")], RestoreBound, cts.Token, clock);

        output.WriteLine($"nft {string.Join(' ', removal)}: table, chain and {Stored.Length + 1} elements back in nft after {restored.TotalMilliseconds:0} ms (polled every 50 ms)");
        await agent.WaitForLineAsync("was changed by someone else", TimeSpan.FromSeconds(10), cts.Token);
        output.WriteLine(await agent.WaitForLineAsync("Restored the nft table", TimeSpan.FromSeconds(10), cts.Token));

        // The restore itself (its flush chain deletes the rule's anonymous map) must not look like another removal.
        var restores = Count(agent.Output, "Restored the nft table");
        await Task.Delay(TimeSpan.FromSeconds(3), cts.Token);
        Assert.True(Count(agent.Output, "Restored the nft table") == restores, agent.Output);
        Assert.True(restores <= 2, agent.Output);
        var elements = await scene.OffendersAsync(cts.Token);
        var stored = elements.Where(e => Stored.Contains(e.Target)).ToList();
        Assert.Equal(Stored.Length, stored.Count);
        Assert.All(stored, e => Assert.InRange(e.Expires!.Value, TimeSpan.FromMinutes(100), TimeSpan.FromHours(2)));
        var (listed, list) = await scene.VerbAsync(["list", "--json"], cts.Token);
        Assert.True(listed == 0, list);
        Assert.Contains("192.0.2.77", list, StringComparison.Ordinal);
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
