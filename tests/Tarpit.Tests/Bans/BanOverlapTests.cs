using System.Net;
using Microsoft.Extensions.Time.Testing;
using Serilog;
using Tarpit.Bans;
using Tarpit.Firewall;
using Tarpit.Store;
using Tarpit.Tests.Firewall;
using Tarpit.Tests.Store;

namespace Tarpit.Tests.Bans;

/// <summary>
/// Issue 13, defect 2: a ban never shortens another; a narrower ban inside a wider one is stored and outlives it; the
/// output says what happened to every ban it touched. The fake firewall refuses nested intervals as nft does.
/// </summary>
public sealed class BanOverlapTests : IDisposable
{
    private static readonly IPNetwork Net24 = IPNetwork.Parse("203.0.113.0/24");

    private readonly TempStateDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
    private readonly FakeFirewall _firewall = new() { RefuseNestedIntervals = true };
    private readonly ILogger _log = new LoggerConfiguration().CreateLogger();
    private readonly BanStore _store;
    private readonly FirewallBatcher _batcher;
    private readonly BanService _service;
    private readonly BanFollower _follower;

    public BanOverlapTests()
    {
        _store = BanStore.Open(_dir.Path);
        _batcher = new FirewallBatcher(_firewall);
        _service = new BanService(FirewallTestConfig.Firewall(), _store, _batcher, _time, _log);
        _follower = new BanFollower(_store, _service, _batcher, _time, _log);
    }

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_one_minute_prefix_ban_never_ends_the_permanent_and_seven_day_bans_inside_it()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await BanAsync("203.0.113.50/32", permanent: true, cts.Token);
        await BanAsync("203.0.113.51/32", TimeSpan.FromDays(7), cts.Token);

        var wide = await _service.BanAsync(new BanRequest(Net24, "manual", "net", TimeSpan.FromMinutes(1)), cts.Token);
        await _batcher.FlushWithTableAsync(cts.Token);
        _time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(
            ["203.0.113.50 keeps its own ban (permanent left, ban #1)", "203.0.113.51 keeps its own ban (7d left, ban #1)"],
            wide.Notes.Order(StringComparer.Ordinal));
        Assert.Equal(
            ["203.0.113.50/32", "203.0.113.51/32"],
            _store.Active(_time.GetUtcNow()).Select(b => b.Target.ToString()).Order(StringComparer.Ordinal));
        Assert.True(_firewall.Elements.ContainsKey(IPNetwork.Parse("203.0.113.50/32")));
        Assert.True(_firewall.Elements.ContainsKey(IPNetwork.Parse("203.0.113.51/32")));
    }

    [Fact]
    public async Task A_one_hour_address_ban_inside_a_thirty_second_prefix_ban_is_stored_redirected_and_outlives_it()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _service.BanAsync(new BanRequest(Net24, "manual", "net", TimeSpan.FromSeconds(30)), cts.Token);

        var inside = await BanAsync("203.0.113.77/32", TimeSpan.FromHours(1), cts.Token);
        await _batcher.FlushWithTableAsync(cts.Token);
        _time.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal("banned 203.0.113.77 for 1h (ban #1)", inside.Message);
        Assert.Equal(["203.0.113.77 is inside the ban of 203.0.113.0/24 (30s left); its own ban goes on after that one ends"], inside.Notes);
        Assert.Equal(TimeSpan.FromHours(1), _firewall.Elements[IPNetwork.Parse("203.0.113.77/32")]);
        Assert.Equal(IPNetwork.Parse("203.0.113.77/32"), Assert.Single(_store.Active(_time.GetUtcNow())).Target);
    }

    [Fact]
    public async Task A_network_inside_a_wider_one_waits_in_the_store_and_goes_into_the_kernel_when_the_wider_ends()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _follower.TickAsync(cts.Token);
        await _service.BanAsync(new BanRequest(IPNetwork.Parse("203.0.0.0/16"), "manual", "wide", TimeSpan.FromMinutes(1)), cts.Token);

        var narrow = await _service.BanAsync(new BanRequest(Net24, "manual", "narrow", TimeSpan.FromHours(1)), cts.Token);
        await _batcher.FlushWithTableAsync(cts.Token);
        await _follower.TickAsync(cts.Token);

        Assert.False(_firewall.Elements.ContainsKey(Net24));
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMinutes(1), _follower.NextEnd);
        Assert.Contains("its own ban goes on after that one ends", Assert.Single(narrow.Notes), StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromMinutes(1) + BanFollower.ExpiryMargin);
        _firewall.Elements.Remove(IPNetwork.Parse("203.0.0.0/16")); // the kernel's own timeout
        await _follower.TickAsync(cts.Token);
        await _batcher.FlushWithTableAsync(cts.Token);

        Assert.Equal(TimeSpan.FromMinutes(59) - BanFollower.ExpiryMargin, _firewall.Elements[Net24]);
        Assert.Null(_follower.NextEnd);
    }

    [Fact]
    public async Task A_wider_network_takes_a_narrower_one_out_of_the_kernel_and_an_unban_of_it_puts_that_back_at_once()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var wide = IPNetwork.Parse("203.0.0.0/16");
        await _service.BanAsync(new BanRequest(Net24, "manual", "narrow", TimeSpan.FromHours(1)), cts.Token);
        await _batcher.FlushWithTableAsync(cts.Token);

        var outcome = await _service.BanAsync(new BanRequest(wide, "manual", "wide", TimeSpan.FromMinutes(1)), cts.Token);
        await _batcher.FlushWithTableAsync(cts.Token);

        Assert.Equal([wide], _firewall.Elements.Keys);
        Assert.Equal(
            ["203.0.113.0/24 keeps its own ban (1h left, ban #1); redirected as part of 203.0.0.0/16 meanwhile, and on its own again when that ends"],
            outcome.Notes);

        var unban = await _service.UnbanAsync(wide, cts.Token);
        await _batcher.FlushWithTableAsync(cts.Token);

        Assert.Equal(["203.0.113.0/24 keeps its own ban (1h left)"], unban.Notes);
        Assert.Equal([Net24], _firewall.Elements.Keys);
    }

    [Fact]
    public async Task A_restart_reconcile_writes_only_the_outermost_networks_and_every_address()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _service.BanAsync(new BanRequest(IPNetwork.Parse("203.0.0.0/16"), "manual", "wide", TimeSpan.FromMinutes(1)), cts.Token);
        await _service.BanAsync(new BanRequest(Net24, "manual", "narrow", TimeSpan.FromHours(1)), cts.Token);
        await BanAsync("203.0.113.9/32", TimeSpan.FromHours(1), cts.Token);
        _batcher.Drain();
        var reconciler = new FirewallReconciler(FirewallTestConfig.Firewall(), _firewall, _batcher, _store, _time, _log);

        await _firewall.EnsureTableAsync(cts.Token);
        await reconciler.ReconcileAsync(cts.Token);

        Assert.Equal(["203.0.0.0/16", "203.0.113.9/32"], _firewall.Elements.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal));
    }

    private Task<BanOutcome> BanAsync(string target, TimeSpan? length = null, CancellationToken cancellationToken = default) =>
        _service.BanAsync(new BanRequest(IPNetwork.Parse(target), "manual", "test", length), cancellationToken);

    private Task<BanOutcome> BanAsync(string target, bool permanent, CancellationToken cancellationToken) =>
        _service.BanAsync(new BanRequest(IPNetwork.Parse(target), "manual", "test", Permanent: permanent), cancellationToken);
}
