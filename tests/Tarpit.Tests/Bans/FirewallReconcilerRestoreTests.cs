using System.Net;
using Microsoft.Extensions.Time.Testing;
using Serilog;
using Tarpit.Bans;
using Tarpit.Firewall;
using Tarpit.Store;
using Tarpit.Tests.Firewall;
using Tarpit.Tests.Store;

namespace Tarpit.Tests.Bans;

/// <summary>The firewall loop when someone else removes its table (nft flush ruleset): restored at once, nothing dropped.</summary>
public sealed class FirewallReconcilerRestoreTests : IDisposable
{
    private readonly TempStateDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
    private readonly FakeFirewall _firewall = new() { StrictTable = true };
    private readonly ILogger _log = new LoggerConfiguration().CreateLogger();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_table_the_monitor_saw_removed_comes_back_with_every_stored_and_held_ban_without_waiting_for_the_reconcile_interval()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var store = BanStore.Open(_dir.Path);
        var now = _time.GetUtcNow();
        store.Insert(new BanRecord(0, IPNetwork.Parse("192.0.2.1/32"), "manual", "x", now, now, now + TimeSpan.FromHours(1), TimeSpan.FromHours(1), 1, null));
        var pending = new PendingBans(_time, _log);
        pending.Hold(new BanRequest(IPNetwork.Parse("192.0.2.2/32"), "sshd", "x"), TimeSpan.FromHours(1), new StoreFaultException());
        var batcher = new FirewallBatcher(_firewall);
        var reconciler = new FirewallReconciler(FirewallTestConfig.Firewall() with { KeepOnExit = true }, _firewall, batcher, store, _time, _log, pending);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var run = reconciler.RunAsync(stop.Token);
        await WaitAsync(() => _firewall.Read(f => f.Elements.Count) == 2, cts.Token);

        _firewall.FlushRuleset();
        reconciler.TableRemoved("table inet tarpit deleted");

        await WaitAsync(() => _firewall.Read(f => f.TableExists && f.Elements.Count == 2), cts.Token, advance: false);
        Assert.Equal(TimeSpan.FromHours(1), _firewall.Read(f => f.Elements[IPNetwork.Parse("192.0.2.1/32")]));
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Changes_that_meet_a_missing_table_are_never_dropped_however_often_they_fail_and_land_after_the_restore()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var store = BanStore.Open(_dir.Path);
        var batcher = new FirewallBatcher(_firewall);
        var reconciler = new FirewallReconciler(FirewallTestConfig.Firewall() with { KeepOnExit = true }, _firewall, batcher, store, _time, _log);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var run = reconciler.RunAsync(stop.Token);
        await WaitAsync(() => _firewall.Read(f => f.TableExists), cts.Token);

        // Flushed, and nft itself fails for longer than MaxAttempts batches: the change must wait, not be dropped.
        _firewall.FlushRuleset();
        _firewall.FailuresLeft = FirewallReconciler.MaxAttempts * 3;
        await batcher.SubmitAsync(FirewallChange.Add(IPNetwork.Parse("192.0.2.9/32"), TimeSpan.FromHours(1)), cts.Token);

        await WaitAsync(() => _firewall.Read(f => f.Elements.ContainsKey(IPNetwork.Parse("192.0.2.9/32"))), cts.Token);
        Assert.True(_firewall.Read(f => f.TableExists));
        await stop.CancelAsync();
        await run;
    }

    private async Task WaitAsync(Func<bool> done, CancellationToken cancellationToken, bool advance = true)
    {
        while (!done())
        {
            if (advance)
            {
                _time.Advance(TimeSpan.FromSeconds(1));
            }

            await Task.Delay(5, cancellationToken);
        }
    }
}
