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
}
