using System.Globalization;
using System.Text.Json;
using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.EndToEnd;

/// <summary>
/// The tarpit's own events as signals, with real clients and the real kernel: a direct hit on a decoy tarpit bans at
/// once, and an offender that keeps coming back through the redirect stays redirected past its first expiry.
/// </summary>
public sealed class DecoyTests
{
    private static readonly string[] Tools = ["ip", "nft", "conntrack", "/usr/sbin/sshd", "ssh", "ssh-keygen", "python3", "timeout", "bash"];

    [SystemFact(true, "ip", "nft", "conntrack", "/usr/sbin/sshd", "ssh", "ssh-keygen", "python3", "timeout", "bash")]
    public async Task A_decoy_hit_bans_at_once_and_a_returning_offender_keeps_its_redirect_past_the_first_expiry()
    {
        Prerequisites.Require(true, Tools);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        await using var scene = await EndToEndScene.CreateAsync(syslogPrefix: false, ct);
        await scene.WriteAgentConfigAsync("20s", """
            [[tarpit]]
            name = "decoy"
            protocol = "ssh"
            host_keys = "generated"
            mode = "endless-banner"
            listen = ["[::]:2323"]
            redirect_ports = []
            decoy = true
            verify_client = false
            interval = "300ms"
            """, ct);
        var agent = scene.StartAgent();
        await agent.WaitForLineAsync("Tarpit agent ready", TimeSpan.FromSeconds(60), ct);
        var server = TestNetwork.ServerV4ForAttacker;

        // Before: the attacker reaches the real sshd. One direct connection to the decoy port bans it.
        var before = await EndToEndScene.SshAsync(scene.Network.Attacker, server, 10, ct);
        Assert.Contains("Remote protocol version 2.0, remote software version OpenSSH", before, StringComparison.Ordinal);
        var (code, output) = await TestNetwork.ExecAsync(
            scene.Network.Attacker,
            ["timeout", "3", "bash", "-c", $"exec 3<>/dev/tcp/{server}/2323 && head -c 1 <&3"],
            TimeSpan.FromSeconds(8),
            ct);
        Assert.True(code == 0, $"the decoy did not answer: {code} {output}");
        var banned = await scene.WaitForListedAsync(TestNetwork.AttackerV4, TimeSpan.FromSeconds(20), ct);
        Assert.Equal("decoy", banned.GetProperty("source").GetString());
        Assert.Contains("decoy tarpit decoy", banned.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var firstExpiry = ExpiresAt(banned);

        // It comes back to :22 some seconds later: the redirect takes it to the SSH tarpit, and the ban is refreshed.
        await Task.Delay(TimeSpan.FromSeconds(5), ct);
        var trapped = await EndToEndScene.SshAsync(scene.Network.Attacker, server, 3, ct);
        Assert.Contains("kex_exchange_identification: banner line", trapped, StringComparison.Ordinal);
        var refreshed = await WaitForExpiryAfterAsync(scene, firstExpiry + TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(15), ct);
        Assert.True(refreshed.GetProperty("sessions").GetInt64() >= 1, refreshed.ToString());

        // Past the first expiry the kernel still redirects it: the element's timeout was replaced, not just the row.
        var wait = firstExpiry + TimeSpan.FromSeconds(2) - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, ct);
        }

        var stillTrapped = await EndToEndScene.SshAsync(scene.Network.Attacker, server, 3, ct);
        Assert.Contains("kex_exchange_identification: banner line", stillTrapped, StringComparison.Ordinal);
        Assert.DoesNotContain("Remote protocol version", stillTrapped, StringComparison.Ordinal);
    }

    private static DateTimeOffset ExpiresAt(JsonElement row) =>
        DateTimeOffset.Parse(row.GetProperty("expires_at").GetString()!, CultureInfo.InvariantCulture);

    private static async Task<JsonElement> WaitForExpiryAfterAsync(EndToEndScene scene, DateTimeOffset after, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var row = await scene.WaitForListedAsync(TestNetwork.AttackerV4, timeout, cancellationToken);
            if (ExpiresAt(row) >= after)
            {
                return row;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the ban's expiry stayed at {ExpiresAt(row):O}, not moved past {after:O}: {row}");
            await Task.Delay(250, cancellationToken);
        }
    }
}
