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
/// Issue 13, burst of 10,000 offenders ≤ 0.5 s: the firewall loop runs fewer, larger nft batches while a burst is
/// being stored (one nft run costs ~7 ms of CPU whatever its size), and a single ban never waits for that.
/// </summary>
public sealed class FirewallReconcilerCoalescingTests : IDisposable
{
    private readonly TempStateDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
    private readonly FakeFirewall _firewall = new();
    private readonly BanStore _store;
    private readonly FirewallBatcher _batcher;
    private readonly FirewallReconciler _reconciler;

    public FirewallReconcilerCoalescingTests()
    {
        _store = BanStore.Open(_dir.Path);
        _batcher = new FirewallBatcher(_firewall);
        _reconciler = new FirewallReconciler(FirewallTestConfig.Firewall() with { KeepOnExit = true }, _firewall, _batcher, _store, _time, new LoggerConfiguration().CreateLogger());
    }

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_single_ban_is_applied_at_once_without_the_clock_moving()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var run = _reconciler.RunAsync(stop.Token);

        await _batcher.SubmitAsync(FirewallChange.Create(IPNetwork.Parse("198.51.100.1/32"), TimeSpan.FromHours(1)), cts.Token);
        while (_firewall.Read(f => f.Elements.Count) < 1)
        {
            await Task.Delay(5, cts.Token);
        }

        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task The_transactions_of_a_burst_go_to_nft_in_one_batch_once_no_more_arrive()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var run = _reconciler.RunAsync(stop.Token);
        while (!_firewall.Read(f => f.TableExists))
        {
            await Task.Delay(5, cts.Token);
        }

        var batchesBefore = _firewall.Read(f => f.Batches.Count);

        // Three transactions of a watch's judge, a moment apart (the loop had time to take the first one alone).
        for (var transaction = 0; transaction < 3; transaction++)
        {
            for (var i = 0; i < FirewallReconciler.CoalesceFrom; i++)
            {
                var address = new IPAddress([198, 18, (byte)transaction, (byte)i]);
                await _batcher.SubmitAsync(FirewallChange.Create(new IPNetwork(address, 32), TimeSpan.FromHours(1)), cts.Token);
            }

            await Task.Delay(100, cts.Token);
        }

        Assert.Equal(0, _firewall.Read(f => f.Elements.Count));
        while (_firewall.Read(f => f.Elements.Count) < 3 * FirewallReconciler.CoalesceFrom)
        {
            _time.Advance(FirewallReconciler.CoalesceWait);
            await Task.Delay(5, cts.Token);
        }

        Assert.Equal(1, _firewall.Read(f => f.Batches.Count) - batchesBefore);
        await stop.CancelAsync();
        await run;
    }
}
