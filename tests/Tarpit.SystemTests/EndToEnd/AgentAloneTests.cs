using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.EndToEnd;

/// <summary>
/// Issue story 1, the agent alone: a real sshd and web server, the agent watching sshd's log, a real attacker failing
/// to log in, and an innocent client beside it. Everything happens in namespaces the test creates.
/// </summary>
public sealed class AgentAloneTests
{
    private static readonly string[] Tools = ["ip", "nft", "conntrack", "/usr/sbin/sshd", "ssh", "ssh-keygen", "curl", "python3", "timeout"];

    [SystemFact(true, "ip", "nft", "conntrack", "/usr/sbin/sshd", "ssh", "ssh-keygen", "curl", "python3", "timeout")]
    public async Task Repeated_failed_logins_send_the_attacker_to_the_tarpits_until_the_ban_expires_while_an_innocent_client_is_untouched()
    {
        Prerequisites.Require(true, Tools);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        await using var scene = await EndToEndScene.CreateAsync(syslogPrefix: false, ct);
        await scene.WriteAgentConfigAsync("10s", $"""
            [[watch]]
            name = "sshd"
            filter = "sshd"
            path = "{scene.Sshd.LogFile}"
            max_retry = 3
            find_time = "10m"
            """, ct);
        var agent = scene.StartAgent();
        await agent.WaitForLineAsync("Tarpit agent ready", TimeSpan.FromSeconds(60), ct);
        var server = TestNetwork.ServerV4ForAttacker;

        // Before any ban the attacker reaches the real sshd; max_retry failed logins earn a ban.
        for (var i = 0; i < 3; i++)
        {
            await EndToEndScene.FailLoginAsync(scene.Network.Attacker, server, ct);
        }

        var row = await scene.WaitForListedAsync(TestNetwork.AttackerV4, TimeSpan.FromSeconds(20), ct);
        Assert.Equal("sshd", row.GetProperty("source").GetString());
        Assert.True(row.GetProperty("expires_in_seconds").GetInt64() is > 0 and <= 10, row.ToString());

        // The attacker's next ssh lands in the SSH tarpit: pre-banner lines, never a server version.
        var trapped = await EndToEndScene.SshAsync(scene.Network.Attacker, server, 4, ct);
        Assert.Contains("kex_exchange_identification: banner line", trapped, StringComparison.Ordinal);
        Assert.DoesNotContain("Remote protocol version", trapped, StringComparison.Ordinal);

        // Its curl to :80 lands in the HTTP tarpit: an nginx status line, then headers that never end.
        var (curlCode, curlOutput) = await EndToEndScene.CurlAsync(scene.Network.Attacker, $"http://{server}/", 3, ct);
        Assert.Equal(28, curlCode);
        Assert.Contains("Server: nginx", curlOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("REAL WEB SERVER", curlOutput, StringComparison.Ordinal);

        // The innocent neighbour reaches the real services.
        var innocentSsh = await EndToEndScene.SshAsync(scene.Network.Innocent, TestNetwork.ServerV4ForInnocent, 10, ct);
        Assert.Contains("Remote protocol version 2.0, remote software version OpenSSH", innocentSsh, StringComparison.Ordinal);
        var (innocentCurl, innocentPage) = await EndToEndScene.CurlAsync(scene.Network.Innocent, $"http://{TestNetwork.ServerV4ForInnocent}/", 5, ct);
        Assert.Equal(0, innocentCurl);
        Assert.Contains("REAL WEB SERVER", innocentPage, StringComparison.Ordinal);

        // Left alone, the ban runs out in the kernel and the attacker reaches the real sshd again.
        await scene.WaitForUnlistedAsync(TestNetwork.AttackerV4, TimeSpan.FromSeconds(40), ct);
        var released = await EndToEndScene.SshAsync(scene.Network.Attacker, server, 10, ct);
        Assert.Contains("Remote protocol version 2.0, remote software version OpenSSH", released, StringComparison.Ordinal);
        Assert.DoesNotContain("banner line", released, StringComparison.Ordinal);
    }
}
