using System.Text.Json;
using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.EndToEnd;

/// <summary>
/// Issue story 2, fail2ban in charge: a real fail2ban-server with Debian's stock sshd filter and the repo's tarpit
/// action bans through <c>tarpit-agent ban</c>; the agent daemon runs without any [[watch]], so only fail2ban bans.
/// </summary>
public sealed class Fail2banTests
{
    private static readonly string[] Tools = ["ip", "nft", "conntrack", "/usr/sbin/sshd", "ssh", "ssh-keygen", "curl", "python3", "timeout", "fail2ban-server", "fail2ban-client", "dotnet"];

    [SystemFact(true, "ip", "nft", "conntrack", "/usr/sbin/sshd", "ssh", "ssh-keygen", "curl", "python3", "timeout", "fail2ban-server", "fail2ban-client", "dotnet")]
    public async Task Fail2ban_bans_through_the_agent_unbans_through_it_and_a_fail2ban_restart_neither_loses_nor_duplicates_the_ban()
    {
        Prerequisites.Require(true, Tools);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = cts.Token;
        await using var scene = await EndToEndScene.CreateAsync(syslogPrefix: true, ct);
        await scene.WriteAgentConfigAsync("10m", watches: "", ct);
        var agent = scene.StartAgent();
        await agent.WaitForLineAsync("Tarpit agent ready", TimeSpan.FromSeconds(60), ct);
        await using var fail2ban = await Fail2banServer.ConfigureAsync(scene, banTime: 60, ct);
        await fail2ban.StartAsync(ct);
        var server = TestNetwork.ServerV4ForAttacker;

        // maxretry failed logins: fail2ban bans through the agent, which records fail2ban as the source.
        var row = await InFirewallAsync(scene, await FailUntilBannedAsync(scene, fail2ban, ct), ct);
        Assert.Equal("fail2ban", row.GetProperty("source").GetString());
        Assert.StartsWith("fail2ban jail sshd, ", row.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.False(row.GetProperty("permanent").GetBoolean(), row.ToString());
        Assert.True(row.GetProperty("expires_in_seconds").GetInt64() is > 0 and <= 60, row.ToString());
        await AssertTrappedAsync(scene, server, ct);
        var innocent = await EndToEndScene.SshAsync(scene.Network.Innocent, TestNetwork.ServerV4ForInnocent, 10, ct);
        Assert.Contains("Remote protocol version 2.0, remote software version OpenSSH", innocent, StringComparison.Ordinal);

        // fail2ban's unban goes through the agent too: the attacker reaches the real sshd again.
        var (unbanCode, unbanOutput) = await fail2ban.ClientAsync(["set", "sshd", "unbanip", TestNetwork.AttackerV4], ct);
        Assert.True(unbanCode == 0, unbanOutput);
        await scene.WaitForUnlistedAsync(TestNetwork.AttackerV4, TimeSpan.FromSeconds(20), ct);
        Assert.DoesNotContain(TestNetwork.AttackerV4, await NftOffendersAsync(scene, ct), StringComparison.Ordinal);
        await AssertReleasedAsync(scene, server, ct);

        // Banned again, then fail2ban restarts on the same database: the ban is kept once, neither lost nor re-banned.
        var again = await FailUntilBannedAsync(scene, fail2ban, ct);
        var banCount = again.GetProperty("ban_count").GetInt32();
        await fail2ban.StopAsync(ct);
        await fail2ban.StartAsync(ct);
        var (statusCode, status) = await fail2ban.ClientAsync(["status", "sshd"], ct);
        Assert.True(statusCode == 0, status);
        var rows = (await scene.ListAsync(ct)).Where(r => r.GetProperty("address").GetString() == TestNetwork.AttackerV4).ToArray();
        var kept = Assert.Single(rows);
        Assert.True(kept.GetProperty("in_firewall").GetBoolean(), kept.ToString());
        Assert.Equal(banCount, kept.GetProperty("ban_count").GetInt32());
        Assert.Contains(TestNetwork.AttackerV4, await NftOffendersAsync(scene, ct), StringComparison.Ordinal);
        await AssertTrappedAsync(scene, server, ct);
        Assert.Contains("Restore Ban", fail2ban.Log(), StringComparison.Ordinal);
    }

    [SystemFact(true, "ip", "nft", "conntrack", "/usr/sbin/sshd", "ssh", "ssh-keygen", "curl", "python3", "timeout", "fail2ban-server", "fail2ban-client", "dotnet")]
    public async Task A_jail_with_bantime_minus_one_bans_permanently_through_the_agent()
    {
        Prerequisites.Require(true, Tools);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = cts.Token;
        await using var scene = await EndToEndScene.CreateAsync(syslogPrefix: true, ct);
        await scene.WriteAgentConfigAsync("10m", watches: "", ct);
        var agent = scene.StartAgent();
        await agent.WaitForLineAsync("Tarpit agent ready", TimeSpan.FromSeconds(60), ct);
        await using var fail2ban = await Fail2banServer.ConfigureAsync(scene, banTime: -1, ct);
        await fail2ban.StartAsync(ct);

        var row = await FailUntilBannedAsync(scene, fail2ban, ct);

        Assert.Equal("fail2ban", row.GetProperty("source").GetString());
        Assert.True(row.GetProperty("permanent").GetBoolean(), row.ToString());
        await AssertTrappedAsync(scene, TestNetwork.ServerV4ForAttacker, ct);
    }

    /// <summary>
    /// The binary as installed: README's Install publishes Native AOT, and fail2ban runs it once per ban. Here the daemon,
    /// <c>list</c>, and the <c>ban</c>/<c>unban</c> fail2ban's action runs are all that binary (tests/run passes it in
    /// TARPIT_AGENT_AOT), so trimming cannot break what ships without a test seeing it.
    /// </summary>
    [SystemFact(true, "ip", "nft", "conntrack", "/usr/sbin/sshd", "ssh", "ssh-keygen", "curl", "python3", "timeout", "fail2ban-server", "fail2ban-client", NeedsAotAgent = true)]
    public async Task The_Native_AOT_binary_runs_the_daemon_and_fail2ban_bans_and_unbans_through_it()
    {
        Prerequisites.Require(true, Tools.Where(t => t != "dotnet").ToArray());
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = cts.Token;
        await using var scene = await EndToEndScene.CreateAsync(syslogPrefix: true, ct, AgentBinary.Aot);
        await scene.WriteAgentConfigAsync("10m", watches: "", ct);
        var agent = scene.StartAgent();
        await agent.WaitForLineAsync("Tarpit agent ready", TimeSpan.FromSeconds(60), ct);
        await using var fail2ban = await Fail2banServer.ConfigureAsync(scene, banTime: 60, ct);
        await fail2ban.StartAsync(ct);
        var server = TestNetwork.ServerV4ForAttacker;

        var row = await InFirewallAsync(scene, await FailUntilBannedAsync(scene, fail2ban, ct), ct);
        Assert.Equal("fail2ban", row.GetProperty("source").GetString());
        Assert.Contains(TestNetwork.AttackerV4, await NftOffendersAsync(scene, ct), StringComparison.Ordinal);
        await AssertTrappedAsync(scene, server, ct);

        var (unbanCode, unbanOutput) = await fail2ban.ClientAsync(["set", "sshd", "unbanip", TestNetwork.AttackerV4], ct);
        Assert.True(unbanCode == 0, unbanOutput);
        await scene.WaitForUnlistedAsync(TestNetwork.AttackerV4, TimeSpan.FromSeconds(20), ct);
        Assert.DoesNotContain(TestNetwork.AttackerV4, await NftOffendersAsync(scene, ct), StringComparison.Ordinal);
        await AssertReleasedAsync(scene, server, ct);
        await agent.StopAsync(TimeSpan.FromSeconds(20));
        Assert.Contains("Tarpit agent stopped", agent.Output, StringComparison.Ordinal);
    }

    /// <summary>maxretry (3) failed logins against the real sshd, then the agent's row for the attacker.</summary>
    private static async Task<JsonElement> FailUntilBannedAsync(EndToEndScene scene, Fail2banServer fail2ban, CancellationToken cancellationToken)
    {
        // sshd may log two lines fail2ban counts for one attempt, so the ban can land before the third attempt: that
        // attempt then meets the tarpit instead of a refusal, and the story goes on.
        for (var i = 0; i < 3; i++)
        {
            var (code, output) = await TestNetwork.ExecAsync(
                scene.Network.Attacker,
                ["timeout", "8", "ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=5",
                 $"nosuchuser@{TestNetwork.ServerV4ForAttacker}", "true"],
                TimeSpan.FromSeconds(15),
                cancellationToken);
            if (!(code == 255 && output.Contains("Permission denied", StringComparison.Ordinal)))
            {
                Assert.True(i > 0, $"the first attempt should reach the real sshd, got {code}: {output}");
                break;
            }
        }

        try
        {
            return await scene.WaitForListedAsync(TestNetwork.AttackerV4, TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (Xunit.Sdk.XunitException ex)
        {
            throw new InvalidOperationException($"{ex.Message}; fail2ban log:\n{fail2ban.Log()}", ex);
        }
    }

    /// <summary>
    /// The attacker's row once nft holds the ban: the ban verb writes the store first and the firewall last, so a
    /// <c>list</c> between the two shows <c>in_firewall: false</c> for a moment (the faster AOT binary meets it).
    /// </summary>
    private static async Task<JsonElement> InFirewallAsync(EndToEndScene scene, JsonElement row, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (row.GetProperty("in_firewall").ValueKind is not JsonValueKind.True)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the ban was stored but not in nft within 10 s: {row}");
            await Task.Delay(250, cancellationToken);
            row = await scene.WaitForListedAsync(TestNetwork.AttackerV4, TimeSpan.FromSeconds(5), cancellationToken);
        }

        return row;
    }

    /// <summary>The attacker's ssh lands in the SSH tarpit: pre-banner lines, never a server version.</summary>
    private static async Task AssertTrappedAsync(EndToEndScene scene, string server, CancellationToken cancellationToken)
    {
        var trapped = await EndToEndScene.SshAsync(scene.Network.Attacker, server, 4, cancellationToken);
        Assert.Contains("kex_exchange_identification: banner line", trapped, StringComparison.Ordinal);
        Assert.DoesNotContain("Remote protocol version", trapped, StringComparison.Ordinal);
    }

    private static async Task AssertReleasedAsync(EndToEndScene scene, string server, CancellationToken cancellationToken)
    {
        var released = await EndToEndScene.SshAsync(scene.Network.Attacker, server, 10, cancellationToken);
        Assert.Contains("Remote protocol version 2.0, remote software version OpenSSH", released, StringComparison.Ordinal);
        Assert.DoesNotContain("banner line", released, StringComparison.Ordinal);
    }

    /// <summary>The agent's nft ruleset in the server namespace (offender sets included).</summary>
    private static async Task<string> NftOffendersAsync(EndToEndScene scene, CancellationToken cancellationToken)
    {
        var (code, output) = await TestNetwork.ExecAsync(scene.Network.Server, ["nft", "list", "table", "inet", "tarpit"], TimeSpan.FromSeconds(10), cancellationToken);
        Assert.True(code == 0, output);
        return output;
    }
}
