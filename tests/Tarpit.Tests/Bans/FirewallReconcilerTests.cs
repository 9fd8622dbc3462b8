using System.Net;
using Microsoft.Extensions.Time.Testing;
using Serilog;
using Serilog.Events;
using Tarpit.Bans;
using Tarpit.Firewall;
using Tarpit.Store;
using Tarpit.Tests.Firewall;
using Tarpit.Tests.Store;
using Tarpit.Tests.Tarpits;

namespace Tarpit.Tests.Bans;

public sealed class FirewallReconcilerTests : IDisposable
{
    private readonly TempStateDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
    private readonly FakeFirewall _firewall = new();
    private readonly BanStore _store;
    private readonly ILogger _log = new LoggerConfiguration().CreateLogger();
    private readonly CollectingLogSink _logs = new();

    public FirewallReconcilerTests() => _store = BanStore.Open(_dir.Path);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Reconcile_restores_stored_bans_with_their_remaining_time_adopts_unknown_elements_and_marks_expired_ones()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var now = _time.GetUtcNow();
        _store.Insert(new BanRecord(0, IPNetwork.Parse("192.0.2.0/24"), "manual", "x", now - TimeSpan.FromMinutes(30), now - TimeSpan.FromMinutes(30), now + TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), 1, null));
        _store.Insert(new BanRecord(0, IPNetwork.Parse("192.0.2.200/32"), "manual", "x", now - TimeSpan.FromHours(2), now - TimeSpan.FromHours(2), now - TimeSpan.FromHours(1), TimeSpan.FromHours(1), 1, null));
        await _firewall.EnsureTableAsync(cts.Token);
        _firewall.Elements[IPNetwork.Parse("2001:db8::/48")] = TimeSpan.FromMinutes(5);
        _firewall.Elements[IPNetwork.Parse("192.0.2.7/32")] = null;
        var reconciler = Reconciler(keepOnExit: true);

        var report = await reconciler.ReconcileAsync(cts.Token);

        Assert.Equal(new FirewallReconciler.ReconcileReport(1, 2, 1, 1), report);
        Assert.Equal(TimeSpan.FromMinutes(30), _firewall.Elements[IPNetwork.Parse("192.0.2.0/24")]);
        Assert.False(_firewall.Elements.ContainsKey(IPNetwork.Parse("192.0.2.7/32")));
        var adopted = Assert.Single(_store.Active(now), b => b.Source == "adopted");
        Assert.Equal((IPNetwork.Parse("2001:db8::/48"), now + TimeSpan.FromMinutes(5)), (adopted.Target, adopted.ExpiresAt));
        Assert.Single(_firewall.Batches);
    }

    [Fact]
    public async Task A_reconcile_rewrites_only_the_elements_that_disagree_with_the_store()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var now = _time.GetUtcNow();
        foreach (var last in new[] { 1, 2, 3, 4 })
        {
            _store.Insert(new BanRecord(0, IPNetwork.Parse($"192.0.2.{last}/32"), "manual", "x", now, now, now + TimeSpan.FromHours(1), TimeSpan.FromHours(1), 1, null));
        }

        _store.Insert(new BanRecord(0, IPNetwork.Parse("192.0.2.5/32"), "manual", "x", now, now, null, null, 1, null));
        await _firewall.EnsureTableAsync(cts.Token);
        _firewall.Elements[IPNetwork.Parse("192.0.2.1/32")] = TimeSpan.FromHours(1);
        _firewall.Elements[IPNetwork.Parse("192.0.2.2/32")] = TimeSpan.FromHours(1) - FirewallReconciler.ExpiryTolerance;
        _firewall.Elements[IPNetwork.Parse("192.0.2.3/32")] = TimeSpan.FromMinutes(10);
        _firewall.Elements[IPNetwork.Parse("192.0.2.5/32")] = null;
        var reconciler = Reconciler(keepOnExit: true);

        await reconciler.ReconcileAsync(cts.Token);
        var again = await reconciler.ReconcileAsync(cts.Token);

        var batch = Assert.Single(_firewall.Batches);
        Assert.Equal(
            [(IPNetwork.Parse("192.0.2.3/32"), FirewallChangeKind.Add), (IPNetwork.Parse("192.0.2.4/32"), FirewallChangeKind.Ensure)],
            batch.Select(c => (c.Target, c.Kind)).OrderBy(c => c.Target.ToString()));
        Assert.Equal(TimeSpan.FromHours(1), _firewall.Elements[IPNetwork.Parse("192.0.2.3/32")]);
        Assert.Equal((5, 0), (again.Applied, again.Written));
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData(3600, 3600, true)]
    [InlineData(3598, 3600, true)]
    [InlineData(3602, 3600, true)]
    [InlineData(3597, 3600, false)]
    [InlineData(3603, 3600, false)]
    [InlineData(null, 3600, false)]
    [InlineData(3600, null, false)]
    public void The_kernel_agrees_with_the_store_within_the_tolerance(int? kernelSeconds, int? storeSeconds, bool agrees)
    {
        var kernel = kernelSeconds is { } k ? TimeSpan.FromSeconds(k) : (TimeSpan?)null;
        var element = new FirewallElement(IPNetwork.Parse("192.0.2.1/32"), kernel, kernel);

        Assert.Equal(agrees, FirewallReconciler.Agrees(element, storeSeconds is { } s ? TimeSpan.FromSeconds(s) : null));
    }

    [Fact]
    public async Task Bans_wait_in_the_store_while_nft_fails_and_land_in_one_batch_once_it_works()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        _firewall.FailuresLeft = 3;
        var batcher = new FirewallBatcher(_firewall);
        var reconciler = Reconciler(keepOnExit: false, batcher);
        var service = new BanService(FirewallTestConfig.Firewall(), _store, batcher, _time, _log);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var run = reconciler.RunAsync(stop.Token);
        for (var i = 1; i <= 100; i++)
        {
            await service.BanAsync(new BanRequest(IPNetwork.Parse($"198.51.100.{i}/32"), "sshd", "x"), cts.Token);
        }

        while (_firewall.Read(f => f.Elements.Count) < 100)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10, cts.Token);
        }

        Assert.True(_firewall.Read(f => f.Batches.Count) <= 3, "bans are coalesced into few batches");
        Assert.Equal(100, _firewall.Read(f => f.Elements.Count));
        await stop.CancelAsync();
        await run;
        Assert.False(_firewall.TableExists);
    }

    /// <summary>
    /// Issue 17: the start's reconcile reads bans whose creates are queued already (a startup snapshot stored while the
    /// table was being made); it writes them, and their creates are not sent after it (nft would refuse them as
    /// elements already there). A later change of a target (here a lift) and a create of a ban it did not read are.
    /// </summary>
    [Fact]
    public async Task A_reconcile_drops_the_queued_creates_of_the_bans_it_writes_and_keeps_the_rest()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var batcher = new FirewallBatcher(_firewall);
        var service = new BanService(FirewallTestConfig.Firewall(), _store, batcher, _time, _log);
        for (var i = 1; i <= 3; i++)
        {
            await service.BanAsync(new BanRequest(IPNetwork.Parse($"198.51.100.{i}/32"), "crowdsec:cscli", "x", TimeSpan.FromHours(1), Remote: true), cts.Token);
        }

        await service.UnbanAsync(IPNetwork.Parse("198.51.100.3/32"), cts.Token);
        var unstored = IPNetwork.Parse("198.51.100.9/32");
        await batcher.SubmitAsync(FirewallChange.Create(unstored, TimeSpan.FromHours(1)), cts.Token);
        await _firewall.EnsureTableAsync(cts.Token);
        var reconciler = Reconciler(keepOnExit: true, batcher);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var run = reconciler.RunAsync(stop.Token);
        while (_firewall.Read(f => f.Batches.Count) < 2)
        {
            await Task.Delay(5, cts.Token);
        }

        await stop.CancelAsync();
        await run;
        Assert.Equal(
            [(IPNetwork.Parse("198.51.100.1/32"), FirewallChangeKind.Ensure), (IPNetwork.Parse("198.51.100.2/32"), FirewallChangeKind.Ensure)],
            _firewall.Batches[0].Select(c => (c.Target, c.Kind)).OrderBy(c => c.Target.ToString()));
        Assert.Equal(
            [(IPNetwork.Parse("198.51.100.3/32"), FirewallChangeKind.Create), (IPNetwork.Parse("198.51.100.3/32"), FirewallChangeKind.Remove), (unstored, FirewallChangeKind.Create)],
            _firewall.Batches[1].Select(c => (c.Target, c.Kind)));
        Assert.Equal(2, _firewall.Batches.Count);
    }

    /// <summary>
    /// Issue 17: a batch nft refuses because of one change must not become one nft run per change (a startup snapshot
    /// of 100,000 was 100,000 runs, hours at ~20 ms each, with the other bans out of the kernel meanwhile). The batch is
    /// tried in halves, and each refused half in halves again: the other 9,999 land in the first flush, in about two
    /// runs per halving; the refused one is counted alone and given up after <see cref="FirewallReconciler.MaxAttempts"/>.
    /// </summary>
    [Fact]
    public async Task One_refused_change_in_a_batch_of_ten_thousand_costs_two_runs_per_halving_not_one_per_change()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        const int Count = 10_000;
        var refused = IPNetwork.Parse("198.51.100.77/32");
        _firewall.Refused.Add(refused);
        var batcher = new FirewallBatcher(_firewall);
        var reconciler = Reconciler(keepOnExit: true, batcher, _logs.CreateLogger());
        for (var i = 0; i < Count; i++)
        {
            var target = i == 4_321 ? refused : new IPNetwork(new IPAddress((uint)IPAddress.HostToNetworkOrder(0x64400001 + i)), 32);
            await batcher.SubmitAsync(FirewallChange.Create(target, TimeSpan.FromHours(1)), cts.Token);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var run = reconciler.RunAsync(stop.Token);
        while (_firewall.Read(f => f.Elements.Count) < Count - 1)
        {
            await Task.Delay(5, cts.Token);
        }

        // The whole batch, again after the table was ensured, then two runs for each halving down to the refused one.
        var halvings = (int)Math.Ceiling(Math.Log2(Count));
        Assert.InRange(_firewall.Read(f => f.ApplyCalls), halvings, 2 + (2 * halvings));
        while (!_logs.Rendered(LogEventLevel.Error).Any(m => m.StartsWith("Giving up on firewall change", StringComparison.Ordinal) && m.Contains($" 198.51.100.77 after {FirewallReconciler.MaxAttempts} attempts", StringComparison.Ordinal)))
        {
            _time.Advance(FirewallReconciler.MaxBackoff);
            await Task.Delay(5, cts.Token);
        }

        await stop.CancelAsync();
        await run;
        Assert.Equal(Count - 1, _firewall.Elements.Count);
        Assert.False(_firewall.Elements.ContainsKey(refused));
    }

    private FirewallReconciler Reconciler(bool keepOnExit, FirewallBatcher? batcher = null, ILogger? log = null) => new(
        FirewallTestConfig.Firewall() with { KeepOnExit = keepOnExit },
        _firewall,
        batcher ?? new FirewallBatcher(_firewall),
        _store,
        _time,
        log ?? _log);
}
