using System.Text.Json;
using Tarpit.SystemTests.Infrastructure;
using Tarpit.SystemTests.Resilience;

namespace Tarpit.SystemTests.Operations;

/// <summary>
/// Issue 18 §2 and §3 with the real daemon in a server namespace the test created: <c>status</c> says not running
/// (3) before it starts, degraded (1) while a watched file is missing (warned about once), healthy (0) once the file
/// exists; <c>sessions</c> lists a real client held from the attacker namespace; <c>list</c> filters (source, search,
/// limit) and counts it held now, <c>show</c> gives its address's history; the control socket is 0600 and gone after
/// the daemon stops, and then <c>list</c> says nothing about held-now.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StatusSystemTests
{
    [SystemFact(true, "ip", "nft")]
    public async Task Status_says_not_running_then_degraded_by_a_missing_watch_file_then_healthy_and_sessions_list_and_show_see_a_held_client()
    {
        Prerequisites.Require(true, "ip", "nft");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        await using var scene = await DaemonScene.CreateAsync(ct);
        var missing = Path.Combine(scene.Directory, "missing.log");
        await File.AppendAllTextAsync(scene.ConfigPath, $"""

            [[watch]]
            name = "later"
            filter = "sshd"
            path = "{missing}"
            """, ct);

        var (code, output) = await scene.VerbAsync(["status"], ct);
        Assert.True(code == 3, $"exit {code}: {output}");
        Assert.Contains("tarpit-agent is not running", output, StringComparison.Ordinal);

        var agent = await scene.StartAsync(ct);
        await agent.WaitForLineAsync("missing.log: the file does not exist", TimeSpan.FromSeconds(30), ct);
        (code, output) = await WaitForStatusAsync(scene, 1, ct);
        Assert.Contains("status:   degraded", output, StringComparison.Ordinal);
        Assert.Contains($"watch later ({missing}): the file does not exist", output, StringComparison.Ordinal);
        Assert.Contains("firewall: live, table inet tarpit present", output, StringComparison.Ordinal);
        var socket = Path.Combine(scene.StateDir, "control.sock");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket));

        // Seconds of polling later, still one warning for the missing file, not one per poll.
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        Assert.Single(agent.Output.Split('\n'), l => l.Contains("missing.log: the file does not exist", StringComparison.Ordinal));

        await File.WriteAllTextAsync(missing, "", ct);
        (code, output) = await WaitForStatusAsync(scene, 0, ct);
        Assert.Contains("status:   healthy", output, StringComparison.Ordinal);

        // A real client held from the attacker namespace, straight to the tarpit's port.
        using var client = await HeldClient.ConnectAsync(scene.Network.Attacker, TestNetwork.ServerV4ForAttacker, 2222, ct);
        await HeldClient.ReadSomeAsync(client, TimeSpan.FromSeconds(20), ct);
        (code, output) = await scene.VerbAsync(["sessions", "--json"], ct);
        Assert.True(code == 0, $"exit {code}: {output}");
        var session = Assert.Single(JsonDocument.Parse(output).RootElement.EnumerateArray());
        Assert.Equal(TestNetwork.AttackerV4, session.GetProperty("address").GetString());
        Assert.Equal("ssh", session.GetProperty("tarpit").GetString());
        Assert.False(session.GetProperty("redirected").GetBoolean());
        Assert.True(session.GetProperty("bytes_sent").GetInt64() > 0, output);
        (code, output) = await scene.VerbAsync(["sessions"], ct);
        Assert.Equal(0, code);
        Assert.Contains(TestNetwork.AttackerV4, output, StringComparison.Ordinal);
        Assert.Contains("direct", output, StringComparison.Ordinal);
        await using (var watching = AgentProcess.Start(["sessions", "--watch", "--interval", "1s", "--config", scene.ConfigPath]))
        {
            await watching.WaitForLineAsync("1 connection(s) held", TimeSpan.FromSeconds(30), ct);
            await watching.WaitForLineAsync(TestNetwork.AttackerV4, TimeSpan.FromSeconds(10), ct);
            Assert.Equal(0, await HeldClient.SignalAsync(watching, "INT", ct));
        }

        // list and show: filters over what verbs banned, the held-now count from the daemon, one address's history.
        foreach (var (target, source) in new[] { ("192.0.2.2", "jail-a"), ("203.0.113.0/24", "jail-b"), ("203.0.113.9", "jail-a") })
        {
            (code, output) = await scene.VerbAsync(["ban", target, "--source", source, "--reason", "jail-a: 3 failures"], ct);
            Assert.True(code == 0, $"ban {target}: exit {code}: {output}");
        }

        (code, output) = await scene.VerbAsync(["list", "--json", "--source", "jail-a"], ct);
        Assert.True(code == 0, output);
        var rows = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        Assert.Equal(["203.0.113.9", "192.0.2.2"], rows.Select(r => r.GetProperty("address").GetString()));
        Assert.Equal([0, 1], rows.Select(r => r.GetProperty("held_now").GetInt32()));
        (code, output) = await scene.VerbAsync(["list", "--json", "203.0.113.0/24", "--limit", "1"], ct);
        Assert.True(code == 0, output);
        Assert.Equal(["203.0.113.9"], JsonDocument.Parse(output).RootElement.EnumerateArray().Select(r => r.GetProperty("address").GetString()));
        (code, output) = await scene.VerbAsync(["list", "203.0.113.77"], ct);
        Assert.True(code == 0, output);
        Assert.Contains("203.0.113.0/24", output, StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2.2", output, StringComparison.Ordinal);
        Assert.Contains("1 connection(s) held now by the running agent", output, StringComparison.Ordinal);
        (code, output) = await scene.VerbAsync(["show", TestNetwork.AttackerV4], ct);
        Assert.True(code == 0, output);
        Assert.Contains("bans: 1 (1 in force)", output, StringComparison.Ordinal);
        Assert.Contains("jail-a  ban #1, in force", output, StringComparison.Ordinal);
        Assert.Contains("held now: 1 connection(s)", output, StringComparison.Ordinal);
        // The scene sets no mode: the held client is in the ssh default mode.
        Assert.Contains("ssh/" + Tarpit.Config.ModeCatalog.Default(Tarpit.Config.TarpitProtocol.Ssh), output, StringComparison.Ordinal);

        Assert.Equal(0, await HeldClient.TerminateAsync(agent, ct));
        Assert.False(Path.Exists(socket), "the control socket outlived the daemon");
        (code, output) = await scene.VerbAsync(["status"], ct);
        Assert.True(code == 3, $"exit {code}: {output}");
        (code, _) = await scene.VerbAsync(["sessions"], ct);
        Assert.Equal(3, code);
        (code, output) = await scene.VerbAsync(["list", "--json", "--source", "jail-a"], ct);
        Assert.True(code == 0, output);
        Assert.All(JsonDocument.Parse(output).RootElement.EnumerateArray(), r => Assert.Equal(JsonValueKind.Null, r.GetProperty("held_now").ValueKind));
    }

    /// <summary>Asks <c>status</c> every 200 ms until it exits <paramref name="expected"/> (at most 20 s); its output.</summary>
    private static async Task<(int Code, string Output)> WaitForStatusAsync(DaemonScene scene, int expected, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var (code, output) = await scene.VerbAsync(["status"], cancellationToken);
            if (code == expected)
            {
                return (code, output);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"status exited {code}, not {expected}, for 20 s:\n{output}\nagent:\n{scene.Agent?.Output}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }
}
