namespace Tarpit.Tests.Tarpits.Engine;

public sealed class TarpitSchedulerThreadTests
{
    [Fact]
    public async Task The_thread_steps_a_new_connection_at_once_and_the_next_time_when_the_clock_reaches_it()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var fixture = new SchedulerFixture();
        using var tarpit = TarpitConfigs.Runtime(TestMode.Drip(TimeSpan.FromSeconds(10)));
        var (client, accepted) = fixture.Loopback.Connect(tarpit);
        fixture.Scheduler.Start();

        fixture.Scheduler.Enqueue(accepted);
        var first = LoopbackPair.ReadSome(client);
        var second = Array.Empty<byte>();
        while (second.Length == 0 && !timeout.IsCancellationRequested)
        {
            // The thread arms its timer right after the first pass; advancing before that only delays the drip.
            fixture.Time.Advance(TimeSpan.FromSeconds(10));
            await Task.Delay(20, timeout.Token);
            second = LoopbackPair.ReadAvailable(client);
        }

        await fixture.Scheduler.StopAsync(timeout.Token);

        Assert.Equal("."u8.ToArray(), first);
        Assert.Equal("."u8.ToArray(), second);
        Assert.True(LoopbackPair.SeesClose(client));
        Assert.Equal(0, fixture.Scheduler.Held);
    }
}
