using System.Diagnostics;
using System.Net;
using Serilog;
using Tarpit.Bans;
using Tarpit.Config;
using Tarpit.Firewall;
using Tarpit.Store;
using Tarpit.SystemTests.Infrastructure;
using Xunit.Abstractions;

namespace Tarpit.SystemTests.Firewall;

/// <summary>
/// The daemon's pieces in this process against real nft in the server namespace (nft runs through
/// <c>ip netns exec</c>): reconcile after a flushed ruleset, and a burst of 10,000 bans in one batch.
/// </summary>
public sealed class ReconcileSystemTests(ITestOutputHelper output)
{
    private readonly ILogger _log = new LoggerConfiguration().CreateLogger();

    [SystemFact(true, "ip", "nft", "conntrack", "python3")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task After_nft_flush_ruleset_a_reconcile_brings_every_ban_back_with_its_remaining_time()
    {
        Prerequisites.Require(true, "ip", "nft", "conntrack", "python3");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        await using var scenario = await FirewallScenario.CreateAsync("", cutEstablished: false, cts.Token);
        var (code, banOutput) = await scenario.AgentAsync(["ban", TestNetwork.AttackerV4, "2001:db8:1::/64", "--for", "1h"], cts.Token);
        Assert.True(code == 0, banOutput);
        await scenario.NftAsync(["flush", "ruleset"], cts.Token);
        Assert.Equal("REAL", await FirewallScenario.ConnectAsync(scenario.Network.Attacker, TestNetwork.ServerV4ForAttacker, cts.Token));
        var config = await InNamespaceAsync(scenario, cts.Token);
        var firewall = new NftFirewall(config.Firewall, config.Tarpits);
        var store = BanStore.Open(config.Agent.StateDir);
        var reconciler = new FirewallReconciler(config.Firewall, firewall, new FirewallBatcher(firewall), store, TimeProvider.System, _log);

        await firewall.EnsureTableAsync(cts.Token);
        var report = await reconciler.ReconcileAsync(cts.Token);

        Assert.Equal(2, report.Applied);
        var elements = await scenario.OffendersAsync(cts.Token);
        Assert.Equal(
            [IPNetwork.Parse("192.0.2.2/32"), IPNetwork.Parse("2001:db8:1::/64")],
            elements.Select(e => e.Target).OrderBy(t => t.BaseAddress.AddressFamily));
        Assert.All(elements, e => Assert.InRange(e.Expires!.Value, TimeSpan.FromMinutes(50), TimeSpan.FromHours(1)));
        Assert.Equal("TARPIT", await FirewallScenario.ConnectAsync(scenario.Network.Attacker, TestNetwork.ServerV4ForAttacker, cts.Token));
        Assert.Equal("TARPIT", await FirewallScenario.ConnectAsync(scenario.Network.Attacker, TestNetwork.ServerV6ForAttacker, cts.Token));
    }

    [SystemFact(true, "ip", "nft", "python3")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Ten_thousand_bans_in_one_burst_land_in_one_batch()
    {
        Prerequisites.Require(true, "ip", "nft", "python3");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(300));
        await using var scenario = await FirewallScenario.CreateAsync("", cutEstablished: false, cts.Token);
        var config = await InNamespaceAsync(scenario, cts.Token);
        var firewall = new NftFirewall(config.Firewall, config.Tarpits);
        var batcher = new FirewallBatcher(firewall);
        var service = new BanService(config.Firewall, BanStore.Open(config.Agent.StateDir), batcher, TimeProvider.System, _log);
        await firewall.EnsureTableAsync(cts.Token);

        // 100.64.0.0/10 (RFC 6598): addresses that exist nowhere in this test.
        var banning = Stopwatch.StartNew();
        for (var i = 0; i < 10_000; i++)
        {
            await service.BanAsync(new BanRequest(new IPNetwork(IPAddress.Parse(Dotted(0x64400000u + (uint)i + 1)), 32), "burst", "system test"), cts.Token);
        }

        banning.Stop();
        var flushing = Stopwatch.StartNew();
        var flushed = await batcher.FlushWithTableAsync(cts.Token);
        flushing.Stop();

        Assert.Equal(10_000, flushed);
        Assert.Equal(10_000, (await scenario.OffendersAsync(cts.Token)).Count);
        output.WriteLine($"10,000 bans: ban service (store) {banning.ElapsedMilliseconds} ms, one nft batch {flushing.ElapsedMilliseconds} ms");
    }

    private static string Dotted(uint address) => $"{address >> 24}.{(address >> 16) & 0xFF}.{(address >> 8) & 0xFF}.{address & 0xFF}";

    /// <summary>The scenario's config with nft running inside the server namespace.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static async Task<ConfigFile> InNamespaceAsync(FirewallScenario scenario, CancellationToken cancellationToken)
    {
        var config = ConfigLoader.Load(scenario.ConfigPath);
        return config with { Firewall = config.Firewall with { Nft = await scenario.NftWrapperAsync(cancellationToken) } };
    }
}
