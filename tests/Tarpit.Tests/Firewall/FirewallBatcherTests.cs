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

        var flushed = await batcher.FlushAsync(cts.Token);

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
}
