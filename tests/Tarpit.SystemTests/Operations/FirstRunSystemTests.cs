using Tarpit.SystemTests.Infrastructure;
using Tarpit.SystemTests.Resilience;

namespace Tarpit.SystemTests.Operations;

/// <summary>
/// Issue 18 §5, a safe first run, with the real agent process: <c>run --observe</c> inside a server namespace the
/// test created leaves that namespace's ruleset without a table while it holds a direct client and logs what it
/// would ban; a bare <c>tarpit-agent</c> prints help and starts nothing.
/// </summary>
public sealed class FirstRunSystemTests
{
    [SystemFact(true, "ip", "nft")]
    public async Task Run_observe_holds_a_direct_connection_logs_the_ban_it_would_make_and_creates_no_nft_table()
    {
        Prerequisites.Require(true, "ip", "nft");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = cts.Token;
        await using var scene = await DaemonScene.CreateAsync(ct);
        var agent = await scene.StartAsync(ct, observe: true);
        await agent.WaitForLineAsync("Observe only (run --observe)", TimeSpan.FromSeconds(5), ct);

        // A client straight to the tarpit's own port, from the attacker namespace: held, dripped to.
        using var client = await HeldClient.ConnectAsync(scene.Network.Attacker, TestNetwork.ServerV4ForAttacker, 2222, ct);
        var first = await HeldClient.ReadSomeAsync(client, TimeSpan.FromSeconds(20), ct);
        Assert.NotEqual(0, first.Length);

        // An offence is judged and logged as "would ban", and nothing reaches nft.
        await scene.OffendAsync(TestNetwork.AttackerV4, ct);
        await agent.WaitForLineAsync($"would ban {TestNetwork.AttackerV4}", TimeSpan.FromSeconds(30), ct);
        var (code, tables) = await scene.NftAsync(["list", "tables"], ct);
        Assert.Equal(0, code);
        Assert.DoesNotContain("tarpit", tables, StringComparison.Ordinal);
        Assert.DoesNotContain("Redirecting new connections", agent.Output, StringComparison.Ordinal);

        Assert.Equal(0, await HeldClient.TerminateAsync(agent, ct));
        (code, tables) = await scene.NftAsync(["list", "tables"], ct);
        Assert.Equal(0, code);
        Assert.DoesNotContain("tarpit", tables, StringComparison.Ordinal);
    }

    [SystemFact(true, "ip", "nft")]
    public async Task A_live_start_says_first_what_it_redirects_and_that_the_table_stays_after_exit()
    {
        Prerequisites.Require(true, "ip", "nft");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = cts.Token;
        await using var scene = await DaemonScene.CreateAsync(ct);

        var agent = await scene.StartAsync(ct);

        var lines = agent.Output.Split('\n');
        var redirecting = Array.FindIndex(lines, l => l.Contains("Redirecting new connections from banned sources: 22 → 2222 (ssh), 2022 → 2222 (ssh)", StringComparison.Ordinal));
        var stays = Array.FindIndex(lines, l => l.Contains("stays after the agent exits (firewall.keep_on_exit = true)", StringComparison.Ordinal));
        var ready = Array.FindIndex(lines, l => l.Contains("Tarpit agent ready", StringComparison.Ordinal));
        Assert.True(redirecting >= 0 && stays > redirecting && ready > stays, agent.Output);
    }

    [SystemFact(false)]
    public async Task A_bare_tarpit_agent_prints_help_exits_2_and_starts_nothing()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        var (code, output) = await AgentProcess.RunAsync([], timeout: TimeSpan.FromSeconds(30), cancellationToken: cts.Token);

        Assert.Equal(2, code);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Contains("no verb given, so nothing was started", output, StringComparison.Ordinal);
        Assert.DoesNotContain("starting with", output, StringComparison.Ordinal);
    }
}
