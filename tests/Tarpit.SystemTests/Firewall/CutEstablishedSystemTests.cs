using System.Globalization;
using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.Firewall;

/// <summary>
/// cut_established against real nft: connections a source had open to the real port before its ban are reset by the
/// table's own chain (no conntrack call), while the innocent's open connection and the attacker's redirected one live on.
/// </summary>
public sealed class CutEstablishedSystemTests
{
    // Connects to :22, prints the first line, then sends a byte every 200 ms and prints how the connection ended:
    // RESET, CLOSED, ERR <type>, or ALIVE when it outlived the given seconds.
    private const string Holder =
        "import socket,sys,time\n" +
        "s=socket.create_connection((sys.argv[1],int(sys.argv[2])),3);s.settimeout(3)\n" +
        "print(s.recv(64).decode().strip(),flush=True)\n" +
        "end=time.time()+float(sys.argv[3])\n" +
        "r='ALIVE'\n" +
        "while time.time()<end:\n" +
        "  try:\n" +
        "    s.sendall(b'x')\n" +
        "    if not s.recv(64): r='CLOSED';break\n" +
        "  except ConnectionResetError: r='RESET';break\n" +
        "  except Exception as e: r='ERR '+type(e).__name__;break\n" +
        "  time.sleep(0.2)\n" +
        "print(r,flush=True)\n";

    [SystemFact(true, "ip", "nft", "python3")]
    public async Task A_ban_resets_the_sources_open_connections_to_the_real_port_and_nothing_else()
    {
        Prerequisites.Require(true, "ip", "nft", "python3");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var scenario = await FirewallScenario.CreateAsync("", cutEstablished: true, cts.Token);
        var attacker = scenario.Network.Attacker;
        var innocent = scenario.Network.Innocent;
        await EnsureTableAsync(scenario, cts.Token);

        // Held for 12 s: the ban comes after 3 s, so a loaded machine still has every holder connected by then.
        var attackerV4 = HoldAsync(attacker, TestNetwork.ServerV4ForAttacker, 12, cts.Token);
        var attackerV6 = HoldAsync(attacker, TestNetwork.ServerV6ForAttacker, 12, cts.Token);
        var innocentV4 = HoldAsync(innocent, TestNetwork.ServerV4ForInnocent, 12, cts.Token);
        await Task.Delay(TimeSpan.FromSeconds(3), cts.Token);
        var (code, output) = await scenario.AgentAsync(["ban", TestNetwork.AttackerV4, TestNetwork.AttackerV6, "--for", "1h"], cts.Token);
        Assert.True(code == 0, output);
        var redirected = HoldAsync(attacker, TestNetwork.ServerV4ForAttacker, 3, cts.Token);

        Assert.Equal("REAL RESET", await attackerV4);
        Assert.Equal("REAL RESET", await attackerV6);
        Assert.Equal("REAL ALIVE", await innocentV4);
        Assert.Equal("TARPIT ALIVE", await redirected);
    }

    [SystemFact(true, "ip", "nft", "python3")]
    public async Task Without_cut_established_an_open_connection_survives_the_ban()
    {
        Prerequisites.Require(true, "ip", "nft", "python3");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var scenario = await FirewallScenario.CreateAsync("", cutEstablished: false, cts.Token);
        await EnsureTableAsync(scenario, cts.Token);

        var held = HoldAsync(scenario.Network.Attacker, TestNetwork.ServerV4ForAttacker, 8, cts.Token);
        await Task.Delay(TimeSpan.FromSeconds(3), cts.Token);
        var (code, output) = await scenario.AgentAsync(["ban", TestNetwork.AttackerV4, "--for", "1h"], cts.Token);

        Assert.True(code == 0, output);
        Assert.Equal("REAL ALIVE", await held);
        Assert.Equal("TARPIT", await FirewallScenario.ConnectAsync(scenario.Network.Attacker, TestNetwork.ServerV4ForAttacker, cts.Token));
    }

    /// <summary>
    /// The table exists before any connection opens, as on a running server: a flow opened before the first NAT chain
    /// of its namespace has no NAT decision yet, so its next packet would be redirected (and reset) anyway.
    /// </summary>
    private static async Task EnsureTableAsync(FirewallScenario scenario, CancellationToken cancellationToken)
    {
        var (code, output) = await scenario.AgentAsync(["ban", "198.18.0.1", "--for", "1h"], cancellationToken);
        Assert.True(code == 0, output);
    }

    private static async Task<string> HoldAsync(string netns, string address, int seconds, CancellationToken cancellationToken)
    {
        var (_, output) = await TestNetwork.ExecAsync(
            netns,
            ["python3", "-c", Holder, address, FirewallScenario.RealPort.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture)],
            TimeSpan.FromSeconds(seconds + 30),
            cancellationToken);
        return string.Join(' ', output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
