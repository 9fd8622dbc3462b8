using System.Net;
using Serilog;
using Tarpit.Firewall;

namespace Tarpit.Tests.Firewall;

public sealed class FirewallBatcherTests
{
    [Theory]
    [InlineData(FirewallBatcher.MaxCutsPerBatch, FirewallBatcher.MaxCutsPerBatch)]
    [InlineData(FirewallBatcher.MaxCutsPerBatch + 1, 0)]
    public async Task A_flush_applies_everything_in_one_batch_and_cuts_flows_only_for_bursts_up_to_the_limit(int bans, int expectedCuts)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var firewall = new FakeFirewall();
        var batcher = new FirewallBatcher(firewall, new LoggerConfiguration().CreateLogger());
        for (var i = 0; i < bans; i++)
        {
            await batcher.SubmitAsync(FirewallChange.Add(new IPNetwork(new IPAddress(0xC6120000u + (uint)i), 32), TimeSpan.FromHours(1), cutEstablished: true), cts.Token);
        }

        var flushed = await batcher.FlushWithTableAsync(cts.Token);

        Assert.Equal(bans, flushed);
        Assert.Single(firewall.Batches);
        Assert.Equal(expectedCuts, firewall.Cuts);
    }

    [Fact]
    public async Task A_flush_with_the_table_creates_it_and_applies_the_queue_in_the_same_call_then_cuts_flows()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var firewall = new FakeFirewall();
        var batcher = new FirewallBatcher(firewall, new LoggerConfiguration().CreateLogger());
        var target = new IPNetwork(IPAddress.Parse("198.18.0.7"), 32);
        await batcher.SubmitAsync(FirewallChange.Add(target, TimeSpan.FromHours(1), cutEstablished: true), cts.Token);

        var flushed = await batcher.FlushWithTableAsync(cts.Token);

        Assert.Equal(1, flushed);
        Assert.True(firewall.TableExists);
        Assert.Equal(target, Assert.Single(Assert.Single(firewall.Batches)).Target);
        Assert.Equal(1, firewall.Cuts);
    }

    [Fact]
    public async Task A_flush_with_the_table_and_nothing_queued_still_creates_the_table()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var firewall = new FakeFirewall();
        var batcher = new FirewallBatcher(firewall, new LoggerConfiguration().CreateLogger());

        var flushed = await batcher.FlushWithTableAsync(cts.Token);

        Assert.Equal(0, flushed);
        Assert.True(firewall.TableExists);
        Assert.Empty(firewall.Batches);
    }

    [Fact]
    public async Task Queued_cuts_wait_for_the_cut_loop_so_the_next_batch_is_not_held_back()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var firewall = new FakeFirewall();
        var batcher = new FirewallBatcher(firewall, new LoggerConfiguration().CreateLogger());

        await batcher.ApplyQueueingCutsAsync([Add(1), Add(2)], cts.Token);
        await batcher.ApplyQueueingCutsAsync([Add(3)], cts.Token);

        Assert.Equal(2, firewall.Read(f => f.Batches.Count));
        Assert.Equal(0, firewall.Read(f => f.Cuts));
        Assert.Equal(3, await CutsAfterRunningTheLoopAsync(batcher, firewall, 3, cts.Token));
    }

    [Fact]
    public async Task A_queued_burst_beyond_the_limit_is_applied_without_cuts()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var firewall = new FakeFirewall();
        var batcher = new FirewallBatcher(firewall, new LoggerConfiguration().CreateLogger());

        await batcher.ApplyQueueingCutsAsync([.. Enumerable.Range(1, FirewallBatcher.MaxCutsPerBatch + 1).Select(Add)], cts.Token);
        await batcher.ApplyQueueingCutsAsync([Add(FirewallBatcher.MaxCutsPerBatch + 2)], cts.Token);

        Assert.Equal(FirewallBatcher.MaxCutsPerBatch + 2, firewall.Read(f => f.Elements.Count));
        Assert.Equal(1, await CutsAfterRunningTheLoopAsync(batcher, firewall, 1, cts.Token));
    }

    [Fact]
    public async Task Cuts_beyond_the_queue_capacity_are_skipped_and_the_redirects_still_applied()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var firewall = new FakeFirewall();
        var batcher = new FirewallBatcher(firewall, new LoggerConfiguration().CreateLogger());
        var batches = FirewallBatcher.CutQueueCapacity / FirewallBatcher.MaxCutsPerBatch + 1;

        for (var b = 0; b < batches; b++)
        {
            await batcher.ApplyQueueingCutsAsync([.. Enumerable.Range(b * FirewallBatcher.MaxCutsPerBatch, FirewallBatcher.MaxCutsPerBatch).Select(Add)], cts.Token);
        }

        Assert.Equal(batches * FirewallBatcher.MaxCutsPerBatch, firewall.Read(f => f.Elements.Count));
        Assert.Equal(FirewallBatcher.CutQueueCapacity, await CutsAfterRunningTheLoopAsync(batcher, firewall, FirewallBatcher.CutQueueCapacity, cts.Token));
    }

    private static FirewallChange Add(int i) =>
        FirewallChange.Add(new IPNetwork(new IPAddress(0xC6120000u + (uint)i), 32), TimeSpan.FromHours(1), cutEstablished: true);

    /// <summary>Runs the cut loop until <paramref name="expected"/> cuts were made, then a moment more, and stops it.</summary>
    private static async Task<int> CutsAfterRunningTheLoopAsync(FirewallBatcher batcher, FakeFirewall firewall, int expected, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loop = batcher.RunCutsAsync(stop.Token);
        while (firewall.Read(f => f.Cuts) < expected)
        {
            await Task.Delay(10, cancellationToken);
        }

        await Task.Delay(100, cancellationToken);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
        return firewall.Read(f => f.Cuts);
    }
}
