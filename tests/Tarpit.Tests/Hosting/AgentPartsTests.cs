using System.Collections.Concurrent;
using Tarpit.Agent.Hosting;
using Tarpit.Tests.Tarpits;

namespace Tarpit.Tests.Hosting;

public sealed class AgentPartsTests
{
    [Fact]
    public async Task Parts_stop_last_started_first_each_finished_before_the_next_is_told_to_stop()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var journal = new ConcurrentQueue<string>();
        using var parts = new AgentParts(new CollectingLogSink().CreateLogger());
        parts.Start("firewall", ct => RunUntilStoppedAsync("firewall", journal, ct));
        parts.Start("detection", ct => RunUntilStoppedAsync("detection", journal, ct));
        parts.Start("tarpits", ct => RunUntilStoppedAsync("tarpits", journal, ct));
        using var host = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        await host.CancelAsync();

        await parts.WaitAsync(host.Token);
        var failed = await parts.StopAsync().WaitAsync(timeout.Token);

        Assert.Null(failed);
        Assert.Equal(
            ["tarpits told", "tarpits done", "detection told", "detection done", "firewall told", "firewall done"],
            journal);
    }

    [Fact]
    public async Task A_part_that_fails_ends_the_wait_and_is_reported_after_the_others_stopped()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var journal = new ConcurrentQueue<string>();
        var log = new CollectingLogSink();
        using var parts = new AgentParts(log.CreateLogger());
        parts.Start("firewall", ct => RunUntilStoppedAsync("firewall", journal, ct));
        parts.Start("detection", _ => Task.FromException(new InvalidOperationException("judge bug")));
        parts.Start("tarpits", ct => RunUntilStoppedAsync("tarpits", journal, ct));

        await parts.WaitAsync(timeout.Token);
        var failed = await parts.StopAsync().WaitAsync(timeout.Token);

        Assert.IsType<InvalidOperationException>(failed);
        Assert.Equal(["tarpits told", "tarpits done", "firewall told", "firewall done"], journal);
        // The part's failure is one Error line naming it; the exception itself is logged once, by the CLI boundary.
        var failure = Assert.Single(log.Events, e => e.Level == Serilog.Events.LogEventLevel.Error);
        Assert.Equal("\"detection\"", failure.Properties["Part"].ToString());
        Assert.DoesNotContain(log.Events, e => e.Exception is not null || e.Level == Serilog.Events.LogEventLevel.Fatal);
    }

    private static async Task RunUntilStoppedAsync(string name, ConcurrentQueue<string> journal, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            journal.Enqueue(name + " told");
            await Task.Delay(50, CancellationToken.None);
            journal.Enqueue(name + " done");
            throw;
        }
    }
}
