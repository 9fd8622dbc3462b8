using System.Threading.Channels;
using Serilog;

namespace Tarpit.Tarpits.Events;

/// <summary>
/// The one queue between a producer that must never wait and a consumer that may be slow (Serilog's
/// <c>BatchingSink</c>): one bounded channel, one reader (<see cref="RunAsync"/>) that hands the consumer batches of
/// up to <c>maxBatch</c> items in the order they were queued.
/// <para>
/// Overflow policy, the same for every consumer (<see cref="OverflowPolicy"/>): when the queue is full the newest item
/// is dropped and counted (<see cref="Dropped"/>), a warning is logged at most once per
/// <see cref="DropWarningInterval"/>, and the total is logged when the reader returns. The producer never blocks.
/// </para>
/// <para>
/// Lifecycle: the owner runs <see cref="RunAsync"/>, and at shutdown calls <see cref="Complete"/> and awaits it: what
/// is queued is consumed first. Cancelling <see cref="RunAsync"/> gives up instead: what is left is dropped and counted.
/// A consumer that throws is logged and the reader goes on with the next batch (that batch is lost).
/// </para>
/// </summary>
/// <typeparam name="T">What is queued.</typeparam>
internal sealed class QueuedSink<T>
{
    /// <summary>Drop the newest item when full: the producer (the scheduler thread, the dispatcher) must never wait on a consumer.</summary>
    public const BoundedChannelFullMode OverflowPolicy = BoundedChannelFullMode.DropWrite;

    /// <summary>The queue-full warning is logged at most this often.</summary>
    public static readonly TimeSpan DropWarningInterval = TimeSpan.FromMinutes(1);

    private readonly string _name;
    private readonly int _maxBatch;
    private readonly Func<IReadOnlyList<T>, CancellationToken, Task> _consume;
    private readonly ILogger _log;
    private readonly TimeProvider _timeProvider;
    private readonly Channel<T> _channel;
    private long _dropped;
    private long _lastDropWarning = long.MinValue;

    /// <param name="name">What the queue feeds, for the log (<c>session writer</c>).</param>
    /// <param name="capacity">Items queued before new ones are dropped.</param>
    /// <param name="maxBatch">Items handed to one call of <paramref name="consume"/>.</param>
    /// <param name="consume">The consumer; the list is reused after it returns, so it must not keep it.</param>
    public QueuedSink(
        string name,
        int capacity,
        int maxBatch,
        Func<IReadOnlyList<T>, CancellationToken, Task> consume,
        ILogger log,
        TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        ArgumentNullException.ThrowIfNull(consume);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _name = name;
        Capacity = capacity;
        _maxBatch = maxBatch;
        _consume = consume;
        _log = log;
        _timeProvider = timeProvider;
        _channel = Channel.CreateBounded<T>(
            new BoundedChannelOptions(capacity) { FullMode = OverflowPolicy, SingleReader = true, SingleWriter = false },
            OnFull);
    }

    public int Capacity { get; }

    /// <summary>Items dropped since start: the queue was full, the sink was completed, or the reader gave up.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues an item; never blocks. When full (or after <see cref="Complete"/>) the item is dropped and counted.</summary>
    public void Enqueue(T item)
    {
        if (!_channel.Writer.TryWrite(item))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>No more items: <see cref="RunAsync"/> consumes what is queued and returns.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>
    /// The one reader: consumes batches until <see cref="Complete"/> and the queue is empty. Cancellation stops it at
    /// once; what was not consumed is counted as dropped. Never throws.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var batch = new List<T>(_maxBatch);
        try
        {
            while (await _channel.Reader.WaitToReadAsync(cancellationToken))
            {
                while (Fill(batch))
                {
                    await ConsumeAsync(batch, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Complete();
            var abandoned = batch.Count;
            while (_channel.Reader.TryRead(out _))
            {
                abandoned++;
            }

            Interlocked.Add(ref _dropped, abandoned);
            EventsLog.QueueAbandoned(_log, _name, abandoned);
        }

        if (Dropped > 0)
        {
            EventsLog.QueueDropped(_log, _name, Dropped, Capacity);
        }
    }

    private bool Fill(List<T> batch)
    {
        batch.Clear();
        while (batch.Count < _maxBatch && _channel.Reader.TryRead(out var item))
        {
            batch.Add(item);
        }

        return batch.Count > 0;
    }

    private async Task ConsumeAsync(List<T> batch, CancellationToken cancellationToken)
    {
        try
        {
            await _consume(batch, cancellationToken);
            batch.Clear();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The batch stays in the list: RunAsync counts it with the rest of what was not consumed.
            throw;
        }
        catch (Exception ex)
        {
            // The top of a service loop: a consumer bug loses this batch, not the queue.
            EventsLog.QueueBatchFailed(_log, ex, _name, batch.Count);
            batch.Clear();
        }
    }

    private void OnFull(T item)
    {
        var total = Interlocked.Increment(ref _dropped);
        var now = _timeProvider.GetTimestamp();
        var last = Interlocked.Read(ref _lastDropWarning);
        if (last != long.MinValue && _timeProvider.GetElapsedTime(last, now) < DropWarningInterval)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _lastDropWarning, now, last) == last)
        {
            EventsLog.QueueBehind(_log, _name, Capacity, total);
        }
    }
}
