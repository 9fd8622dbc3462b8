namespace Tarpit.Tests.Tarpits.Engine;

public sealed class TarpitSchedulerSnapshotTests
{
    [Fact]
    public async Task A_snapshot_is_answered_by_the_next_pass_with_every_held_connection_as_the_scheduler_sees_it()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var fixture = new SchedulerFixture();
        using var tarpit = TarpitConfigs.Runtime(TestMode.Drip(TimeSpan.FromSeconds(10)));
        var (client, accepted) = fixture.Loopback.Connect(tarpit);
        fixture.Scheduler.Enqueue(accepted);
        fixture.Scheduler.RunOnce();
        LoopbackPair.ReadSome(client);

        var asked = fixture.Scheduler.SnapshotAsync(timeout.Token);
        Assert.False(asked.IsCompleted);
        fixture.Advance(TimeSpan.FromSeconds(1));
        var held = await asked;

        var one = Assert.Single(held);
        Assert.Equal(accepted.Remote, one.Remote);
        Assert.Equal(tarpit.Name, one.Tarpit);
        Assert.Equal(1, one.BytesSent);
        Assert.Equal(fixture.Time.GetUtcNow() - TimeSpan.FromSeconds(1), one.Since);
        Assert.False(one.Redirected);
    }

    [Fact]
    public async Task A_snapshot_with_nobody_held_is_an_empty_list()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var fixture = new SchedulerFixture();

        var asked = fixture.Scheduler.SnapshotAsync(timeout.Token);
        fixture.Scheduler.RunOnce();

        Assert.Empty(await asked);
    }
}
