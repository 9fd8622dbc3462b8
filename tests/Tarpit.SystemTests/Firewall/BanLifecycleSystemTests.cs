using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Tarpit.SystemTests.Infrastructure;
using Xunit.Abstractions;

namespace Tarpit.SystemTests.Firewall;

/// <summary>
/// Issue 13, defects 1 and 2 and the verbs: the real agent daemon and verbs against real nft in the server namespace.
/// Restarts that read the log back never ban one incident twice, a start that fails bans nothing, a ban never
/// shortens another, a network inside a wider one is in the kernel within a second of the wider one ending, the verbs'
/// bans reach the daemon's log and event file, and unban takes many targets at once.
/// </summary>
public sealed class BanLifecycleSystemTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(60);

    [SystemFact(true, "ip", "nft", "conntrack", "python3")]
    public async Task Restarts_reading_the_log_back_keep_one_ban_an_unban_by_hand_stays_and_a_start_that_fails_bans_nothing()
    {
        Prerequisites.Require(true, "ip", "nft", "conntrack", "python3");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        await using var scenario = await FirewallScenario.CreateAsync("", cutEstablished: false, ct);
        var authLog = Path.Combine(scenario.Directory, "auth.log");
        await File.WriteAllLinesAsync(authLog, [.. Offences("192.0.2.2", 3), .. Offences("192.0.2.3", 3)], ct);
        var config = await DaemonConfigAsync(scenario, "daemon.toml", tarpitPort: 2223, watchPath: authLog, ct);

        // A start that fails (the tarpit port is taken by the scenario's stand-in) must not ban what it read back.
        var clash = await DaemonConfigAsync(scenario, "clash.toml", tarpitPort: FirewallScenario.TarpitPort, watchPath: authLog, ct);
        await using (var failing = AgentProcess.Start(["run", "--config", clash], scenario.Network.Server))
        {
            var result = await failing.Exited.WaitAsync(Ready, ct);
            Assert.True(result.ExitCode != 0, failing.Output);
        }

        Assert.Empty(await ListAsync(scenario, config, all: true, ct));

        // The first real start bans both from the lines it read back; three more starts change nothing.
        JsonElement first;
        await using (var agent = await StartAsync(scenario, config, ct))
        {
            first = await WaitForRowAsync(scenario, config, "192.0.2.2", ct);
            await WaitForRowAsync(scenario, config, "192.0.2.3", ct);
        }

        var (unbanCode, unbanOutput) = await scenario.AgentAsync(["unban", "192.0.2.3"], ct);
        Assert.True(unbanCode == 0, unbanOutput);
        for (var restart = 0; restart < 3; restart++)
        {
            await using var agent = await StartAsync(scenario, config, ct);
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            await agent.StopAsync(TimeSpan.FromSeconds(20));
            Assert.DoesNotContain("Ban decision", agent.Output, StringComparison.Ordinal);
        }

        var rows = await ListAsync(scenario, config, all: true, ct);
        var kept = Assert.Single(rows, r => Address(r) == "192.0.2.2");
        Assert.Equal(1, kept.GetProperty("ban_count").GetInt32());
        Assert.InRange(kept.GetProperty("expires_in_seconds").GetInt64(), 3000, first.GetProperty("expires_in_seconds").GetInt64());
        var lifted = Assert.Single(rows, r => Address(r) == "192.0.2.3");
        Assert.False(lifted.GetProperty("active").GetBoolean(), lifted.ToString());
    }

    [SystemFact(true, "ip", "nft", "conntrack", "python3")]
    public async Task A_ban_never_shortens_another_and_a_network_inside_a_wider_one_takes_over_within_a_second_of_its_end()
    {
        Prerequisites.Require(true, "ip", "nft", "conntrack", "python3");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        await using var scenario = await FirewallScenario.CreateAsync("", cutEstablished: false, ct);
        var config = await DaemonConfigAsync(scenario, "daemon.toml", tarpitPort: 2223, watchPath: null, ct);
        await using var agent = await StartAsync(scenario, config, ct);

        Assert.Equal(0, (await VerbAsync(scenario, config, ["ban", "203.0.113.50", "--for", "permanent"], ct)).ExitCode);
        Assert.Equal(0, (await VerbAsync(scenario, config, ["ban", "203.0.113.51", "--for", "7d"], ct)).ExitCode);
        var (wideCode, wide) = await VerbAsync(scenario, config, ["ban", "203.0.113.0/24", "--for", "1m"], ct);
        var (outerCode, outer) = await VerbAsync(scenario, config, ["ban", "198.18.0.0/16", "--for", "4s"], ct);
        var (innerCode, inner) = await VerbAsync(scenario, config, ["ban", "198.18.7.0/24", "--for", "1h"], ct);

        Assert.True(wideCode == 0 && outerCode == 0 && innerCode == 0, wide + outer + inner);
        Assert.Contains("203.0.113.50 keeps its own ban (permanent left", wide, StringComparison.Ordinal);
        Assert.Contains("203.0.113.51 keeps its own ban (", wide, StringComparison.Ordinal);
        Assert.Contains("its own ban goes on after that one ends", inner, StringComparison.Ordinal);
        var kernel = await KernelAsync(scenario, ct);
        Assert.Superset(new HashSet<string> { "203.0.113.50/32", "203.0.113.51/32", "203.0.113.0/24", "198.18.0.0/16" }, kernel);
        Assert.DoesNotContain("198.18.7.0/24", kernel);

        // The /16 runs out in the kernel; the daemon writes the /24 inside it.
        var clock = Stopwatch.StartNew();
        TimeSpan? outerGone = null;
        while (true)
        {
            kernel = await KernelAsync(scenario, ct);
            outerGone ??= kernel.Contains("198.18.0.0/16") ? null : clock.Elapsed;
            if (kernel.Contains("198.18.7.0/24"))
            {
                break;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"198.18.7.0/24 never reached the kernel: {string.Join(", ", kernel)}\n{agent.Output}");
            await Task.Delay(50, ct);
        }

        output.WriteLine($"/16 gone from the kernel after {outerGone?.TotalMilliseconds:F0} ms, /24 in it after {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.DoesNotContain("198.18.0.0/16", kernel);
        Assert.InRange((clock.Elapsed - (outerGone ?? clock.Elapsed)).TotalSeconds, 0, 3);

        // The verbs' bans are in the daemon's log and its event file too.
        await agent.WaitForLineAsync("Banned 203.0.113.50 for ever (ban #1, manual: banned by hand), stored by tarpit-agent ban", TimeSpan.FromSeconds(10), ct);
        await agent.WaitForLineAsync("The wider ban around 198.18.7.0/24 ended", TimeSpan.FromSeconds(10), ct);
        var events = Path.Combine(scenario.Directory, "state", "events.jsonl");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!(File.Exists(events) && (await File.ReadAllTextAsync(events, ct)).Contains("stored by tarpit-agent ban", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the verb's ban did not reach the event file within 10 s");
            await Task.Delay(250, ct);
        }
    }

    [SystemFact(true, "ip", "nft", "conntrack", "python3")]
    public async Task Unban_lifts_many_targets_a_source_or_everything_in_one_call_and_an_ended_ban_is_no_error()
    {
        Prerequisites.Require(true, "ip", "nft", "conntrack", "python3");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        await using var scenario = await FirewallScenario.CreateAsync("", cutEstablished: false, ct);
        Assert.Equal(0, (await scenario.AgentAsync(["ban", "192.0.2.10", "192.0.2.11", "2001:db8:1::10", "--for", "1h"], ct)).ExitCode);
        Assert.Equal(0, (await scenario.AgentAsync(["ban", "192.0.2.20", "198.51.100.0/24", "--for", "1h", "--source", "fail2ban"], ct)).ExitCode);
        Assert.Equal(0, (await scenario.AgentAsync(["ban", "192.0.2.30", "--for", "2s"], ct)).ExitCode);

        var (many, manyOutput) = await AgentProcess.RunAsync(
            ["unban", "--config", scenario.ConfigPath, "--", "192.0.2.10", "2001:db8:1::10"], scenario.Network.Server, TimeSpan.FromSeconds(120), cancellationToken: ct);
        var (source, sourceOutput) = await scenario.AgentAsync(["unban", "--source", "fail2ban"], ct);
        var (unconfirmed, _) = await scenario.AgentAsync(["unban", "--all"], ct);
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var (ranOut, ranOutOutput) = await scenario.AgentAsync(["unban", "192.0.2.30"], ct);
        var (never, neverOutput) = await scenario.AgentAsync(["unban", "192.0.2.99"], ct);
        var left = (await scenario.OffendersAsync(ct)).Select(e => e.Target.ToString()).ToList();
        var (all, allOutput) = await scenario.AgentAsync(["unban", "--all", "--yes"], ct);

        Assert.True(many == 0, manyOutput);
        Assert.Contains("unbanned 2001:db8:1::10", manyOutput, StringComparison.Ordinal);
        Assert.True(source == 0, sourceOutput);
        Assert.Contains("unbanned 198.51.100.0/24", sourceOutput, StringComparison.Ordinal);
        Assert.Equal(2, unconfirmed);
        Assert.True(ranOut == 0, ranOutOutput);
        Assert.Contains("192.0.2.30 is not banned any more: its ban ran out", ranOutOutput, StringComparison.Ordinal);
        Assert.True(never == 1, neverOutput);
        Assert.Contains("192.0.2.99 is not banned (it never was)", neverOutput, StringComparison.Ordinal);
        Assert.Equal(["192.0.2.11/32"], left);
        Assert.True(all == 0, allOutput);
        Assert.Empty(await scenario.OffendersAsync(ct));
    }

    /// <summary>RFC 3339 sshd lines (as rsyslog writes them on Debian 12) of failed logins, a few seconds ago.</summary>
    private static IEnumerable<string> Offences(string address, int count) =>
        Enumerable.Range(0, count).Select(i =>
            $"{DateTimeOffset.Now.AddSeconds(i - 10).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture)} server sshd[{100 + i}]: Invalid user test{i} from {address} port {40000 + i}");

    /// <summary>A daemon config beside the scenario's: the same table and state, its own tarpit port, a watch when asked, an event file.</summary>
    private static async Task<string> DaemonConfigAsync(FirewallScenario scenario, string name, int tarpitPort, string? watchPath, CancellationToken cancellationToken)
    {
        var watch = watchPath is null ? "" : $"""

            [[watch]]
            name = "sshd"
            filter = "sshd"
            path = "{watchPath}"
            max_retry = 3
            find_time = "10m"
            """;
        var path = Path.Combine(scenario.Directory, name);
        await File.WriteAllTextAsync(path, $"""
            [agent]
            state_dir = "state"
            log_file = "state/events.jsonl"
            log_level = "debug"

            [firewall]
            table = "tarpit"
            ban_time = "1h"
            allow = ["127.0.0.0/8", "::1/128"]
            keep_on_exit = true
            cut_established = false

            [[tarpit]]
            name = "ssh"
            protocol = "ssh"
            host_keys = "generated"
            listen = ["[::]:{tarpitPort}"]
            redirect_ports = [{FirewallScenario.RealPort}]
            {watch}
            """, cancellationToken);
        return path;
    }

    private static async Task<AgentProcess> StartAsync(FirewallScenario scenario, string config, CancellationToken cancellationToken)
    {
        var agent = AgentProcess.Start(["run", "--config", config], scenario.Network.Server);
        try
        {
            await agent.WaitForLineAsync("Tarpit agent ready", Ready, cancellationToken);
            return agent;
        }
        catch
        {
            await agent.DisposeAsync();
            throw;
        }
    }

    private static Task<(int ExitCode, string Output)> VerbAsync(FirewallScenario scenario, string config, IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        AgentProcess.RunAsync(arguments.Concat(["--config", config]), scenario.Network.Server, TimeSpan.FromSeconds(120), cancellationToken: cancellationToken);

    private static async Task<JsonElement[]> ListAsync(FirewallScenario scenario, string config, bool all, CancellationToken cancellationToken)
    {
        string[] args = all ? ["list", "--json", "--all"] : ["list", "--json"];
        var (code, text) = await VerbAsync(scenario, config, args, cancellationToken);
        Assert.True(code == 0, text);
        return [.. JsonDocument.Parse(text[text.IndexOf('[', StringComparison.Ordinal)..]).RootElement.EnumerateArray()];
    }

    private static async Task<JsonElement> WaitForRowAsync(FirewallScenario scenario, string config, string address, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var row = (await ListAsync(scenario, config, all: false, cancellationToken)).FirstOrDefault(r => Address(r) == address);
            if (row.ValueKind != JsonValueKind.Undefined)
            {
                return row;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{address} was not banned within 30 s");
            await Task.Delay(250, cancellationToken);
        }
    }

    private static async Task<HashSet<string>> KernelAsync(FirewallScenario scenario, CancellationToken cancellationToken) =>
        [.. (await scenario.OffendersAsync(cancellationToken)).Select(e => e.Target.ToString())];

    private static string Address(JsonElement row) => row.GetProperty("address").GetString() ?? "";
}
