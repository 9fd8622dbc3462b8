using System.Net;
using Tarpit.Firewall;

namespace Tarpit.Tests.Firewall;

public sealed class FirewallBatcherTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(10_000)]
    public async Task A_flush_applies_everything_queued_in_one_batch(int bans)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var firewall = new FakeFirewall();
        var batcher = new FirewallBatcher(firewall);
        for (var i = 0; i < bans; i++)
        {
            await batcher.SubmitAsync(Add(i), cts.Token);
        }

        var flushed = await batcher.FlushWithTableAsync(cts.Token);

        Assert.Equal(bans, flushed);
        Assert.Equal(bans, Assert.Single(firewall.Batches).Count);
    }

    [Fact]
    public async Task A_flush_with_the_table_creates_it_and_applies_the_queue_in_the_same_call()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var firewall = new FakeFirewall();
        var batcher = new FirewallBatcher(firewall);
        var target = new IPNetwork(IPAddress.Parse("198.18.0.7"), 32);
        await batcher.SubmitAsync(FirewallChange.Add(target, TimeSpan.FromHours(1)), cts.Token);

        var flushed = await batcher.FlushWithTableAsync(cts.Token);

        Assert.Equal(1, flushed);
        Assert.True(firewall.TableExists);
        Assert.Equal(target, Assert.Single(Assert.Single(firewall.Batches)).Target);
    }

    [Fact]
    public async Task A_flush_with_the_table_and_nothing_queued_still_creates_the_table()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var firewall = new FakeFirewall();
        var batcher = new FirewallBatcher(firewall);

        var flushed = await batcher.FlushWithTableAsync(cts.Token);

        Assert.Equal(0, flushed);
        Assert.True(firewall.TableExists);
        Assert.Empty(firewall.Batches);
    }

    [Fact]
    public async Task Applying_an_empty_list_makes_no_firewall_call()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var firewall = new FakeFirewall();
        var batcher = new FirewallBatcher(firewall);

        await batcher.ApplyAsync([], cts.Token);
        await batcher.ApplyAsync([Add(1), Add(2)], cts.Token);

        Assert.Equal(2, Assert.Single(firewall.Batches).Count);
    }

    private static FirewallChange Add(int i) =>
        FirewallChange.Add(new IPNetwork(new IPAddress(0xC6120000u + (uint)i), 32), TimeSpan.FromHours(1));
}
