using Microsoft.Extensions.Time.Testing;
using Serilog.Events;
using Tarpit.Tarpits.Events;

namespace Tarpit.Tests.Tarpits.Events;

public sealed class QueuedSinkTests
{
    private const int Capacity = 4;

    [Fact]
    public async Task The_queue_holds_exactly_its_capacity_and_drops_and_counts_every_newer_item()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var consumed = new List<int>();
        var queue = new QueuedSink<int>("test queue", Capacity, maxBatch: 2, Collect(consumed), new CollectingLogSink().CreateLogger(), new FakeTimeProvider());

        for (var i = 0; i < Capacity; i++)
        {
            queue.Enqueue(i);
        }

        var droppedAtCapacity = queue.Dropped;
        queue.Enqueue(Capacity);
        queue.Enqueue(Capacity + 1);
        queue.Complete();
        await queue.RunAsync(timeout.Token);

        Assert.Equal(0, droppedAtCapacity);
        Assert.Equal(2, queue.Dropped);
        Assert.Equal([0, 1, 2, 3], consumed);
    }

    [Fact]
    public void A_full_queue_warns_on_the_first_drop_and_then_at_most_once_a_minute()
    {
        var log = new CollectingLogSink();
        var time = new FakeTimeProvider();
        var queue = new QueuedSink<int>("test queue", Capacity, maxBatch: 1, (_, _) => Task.CompletedTask, log.CreateLogger(), time);
        for (var i = 0; i < Capacity; i++)
        {
            queue.Enqueue(i);
        }

        queue.Enqueue(-1);
        queue.Enqueue(-2);
        var afterFirstDrops = Warnings(log);
        time.Advance(TimeSpan.FromSeconds(59));
        queue.Enqueue(-3);
        var within59Seconds = Warnings(log);
        time.Advance(TimeSpan.FromSeconds(1));
        queue.Enqueue(-4);
        queue.Enqueue(-5);

        Assert.Equal((1, 1, 2), (afterFirstDrops, within59Seconds, Warnings(log)));
        Assert.Equal(5, queue.Dropped);
    }

    [Fact]
    public async Task Completion_drains_everything_queued_in_order_and_in_bounded_batches_then_logs_the_drops()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var log = new CollectingLogSink();
        var batches = new List<int[]>();
        var queue = new QueuedSink<int>("test queue", capacity: 100, maxBatch: 3, (batch, _) =>
        {
            batches.Add([.. batch]);
            return Task.CompletedTask;
        }, log.CreateLogger(), new FakeTimeProvider());
        var running = queue.RunAsync(timeout.Token);

        for (var i = 0; i < 10; i++)
        {
            queue.Enqueue(i);
        }

        queue.Complete();
        await running;
        queue.Enqueue(10);

        Assert.Equal(Enumerable.Range(0, 10), batches.SelectMany(b => b));
        Assert.All(batches, b => Assert.InRange(b.Length, 1, 3));
        Assert.DoesNotContain(log.Events, e => e.Level >= LogEventLevel.Warning);
        Assert.Equal(1, queue.Dropped);
    }

    [Fact]
    public async Task The_final_drop_count_is_logged_when_the_reader_returns()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var log = new CollectingLogSink();
        var queue = new QueuedSink<int>("test queue", Capacity, maxBatch: 1, (_, _) => Task.CompletedTask, log.CreateLogger(), new FakeTimeProvider());
        for (var i = 0; i < Capacity + 3; i++)
        {
            queue.Enqueue(i);
        }

        queue.Complete();
        await queue.RunAsync(timeout.Token);

        Assert.Contains("The \"test queue\" dropped 3 items in all (queue of 4)", log.Events.Select(e => e.RenderMessage()));
    }

    [Fact]
    public async Task A_consumer_that_throws_is_logged_and_the_reader_goes_on_with_the_next_batch()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var log = new CollectingLogSink();
        var consumed = new List<int>();
        var queue = new QueuedSink<int>("test queue", Capacity, maxBatch: 1, (batch, _) =>
        {
            if (batch[0] == 1)
            {
                throw new InvalidOperationException("consumer bug");
            }

            consumed.Add(batch[0]);
            return Task.CompletedTask;
        }, log.CreateLogger(), new FakeTimeProvider());
        queue.Enqueue(1);
        queue.Enqueue(2);
        queue.Enqueue(3);

        queue.Complete();
        await queue.RunAsync(timeout.Token);

        Assert.Equal([2, 3], consumed);
        var error = Assert.Single(log.Events, e => e.Level == LogEventLevel.Error);
        Assert.IsType<InvalidOperationException>(error.Exception);
    }

    [Fact]
    public async Task Cancelling_the_reader_gives_up_and_counts_what_was_not_consumed_as_dropped()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queue = new QueuedSink<int>("test queue", Capacity, maxBatch: 1, async (_, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
        }, new CollectingLogSink().CreateLogger(), new FakeTimeProvider());
        queue.Enqueue(1);
        queue.Enqueue(2);
        queue.Enqueue(3);
        var running = queue.RunAsync(giveUp.Token);
        await started.Task.WaitAsync(timeout.Token);

        await giveUp.CancelAsync();
        await running.WaitAsync(timeout.Token);

        Assert.Equal(3, queue.Dropped);
    }

    private static Func<IReadOnlyList<int>, CancellationToken, Task> Collect(List<int> consumed) => (batch, _) =>
    {
        consumed.AddRange(batch);
        return Task.CompletedTask;
    };

    private static int Warnings(CollectingLogSink log) => log.Events.Count(e => e.Level == LogEventLevel.Warning);
}
