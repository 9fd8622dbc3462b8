using System.Collections.Concurrent;
using Serilog;
using Tarpit.Linux;
using Tarpit.Tarpits.Events;

namespace Tarpit.Tarpits.Engine;

/// <summary>
/// The one thread that owns every held connection of every tarpit (endlessh's and tarssh's design): a due-time queue,
/// non-blocking synchronous socket I/O, one receive buffer and one output buffer. Accept loops hand sockets over
/// through a lock-free queue and a wake-up. <see cref="RunOnce"/> is the whole of one pass, so tests drive it with a
/// FakeTimeProvider and real loopback sockets, deterministically, without the thread.
/// </summary>
internal sealed partial class TarpitScheduler : IDisposable
{
    /// <summary>
    /// The one receive buffer, and so the most a session sees per Step. It holds a full request line or TLS
    /// ClientHello record fragment, and it is the whole of what the engine ever buffers of a client: bytes beyond it
    /// stay in the kernel until the next read, and a session keeps only what it bounds itself.
    /// </summary>
    public const int MaxReceiveChunk = 4096;

    /// <summary>Most distinct Details keys per connection; sessions use a fixed vocabulary, this bounds a buggy one.</summary>
    public const int MaxDetails = 32;

    /// <summary>AwaitInput polling: first poll after this long, doubling up to <see cref="MaxPoll"/>.</summary>
    public static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(10);

    public static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(200);

    /// <summary>Receive chunks a step reads and drops for a session that discards input (<see cref="SessionContext.DiscardInput"/>): 16 KiB.</summary>
    public const int MaxDiscardReads = 4;

    /// <summary>
    /// Input a discarding session's client may make the scheduler read and drop between two steps, as it arrives
    /// (16 KiB, the same as one step's discard): enough for a client's whole key exchange, so its FIN is not stuck
    /// behind a full receive window; past it the input waits for the next step, so a client that keeps sending costs a
    /// bounded number of reads per interval.
    /// </summary>
    public const int MaxDrainedPerStep = MaxDiscardReads * MaxReceiveChunk;

    /// <summary>
    /// The scheduler's tick: between passes the thread sleeps at least this long unless an accept wakes it, so that
    /// thousands of jittered drips are sent in batches (at most 100 passes a second) rather than one wake-up each.
    /// A drip can be this much late, which no client can tell from network jitter.
    /// </summary>
    public static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest the thread sleeps with nothing due; bounds the damage of a lost wake-up.</summary>
    private static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(1);

    private readonly ConnectionEvents _events;
    private readonly ILogger _log;
    private readonly TimeProvider _timeProvider;
    private readonly Random _random;
    private readonly long _startTimestamp;
    private readonly ConcurrentQueue<AcceptedConnection> _incoming = new();
    private readonly ConnectionTable _table = new();

    // Slot numbers by due tick; a slot has at most one entry, and a slot closed while queued is freed when it comes out.
    private readonly PriorityQueue<int, long> _due = new();
    private readonly byte[] _receiveBuffer = new byte[MaxReceiveChunk];
    private readonly byte[] _outputBuffer = new byte[SessionContext.MinOutputCapacity];
    // No spinning before blocking: wake-ups are rare and a spin would only burn CPU.
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 1);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ITimer _timer;

    // Who left between their turns, so that "time trapped" ends when the client left, not at its next drip.
    private readonly HangupWatch _hangups = new();
    private readonly DescriptorIndex _byDescriptor = new();
    private readonly List<(int Descriptor, bool Left)> _ready = [];
    private Thread? _thread;
    private volatile bool _stopping;
    private readonly HeapCompaction _compaction = new();
    private long _nextConnectionId;
    private long _lastAdmissionTicks;
    private int _held;

    public TarpitScheduler(ConnectionEvents events, ILogger log, TimeProvider timeProvider, Random? random = null)
    {
        _events = events;
        _log = log;
        _timeProvider = timeProvider;
        _random = random ?? new Random();
        _startTimestamp = timeProvider.GetTimestamp();
        _timer = timeProvider.CreateTimer(static state => ((ManualResetEventSlim)state!).Set(), _wake, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Counts refused connections when the daemon exports metrics; null otherwise. Set before <see cref="Start"/>.</summary>
    public Metrics.AgentMetrics? Metrics { get; init; }

    /// <summary>Connections held right now, over all tarpits.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Hands an accepted socket to the scheduler. Any thread.</summary>
    public void Enqueue(AcceptedConnection accepted)
    {
        _incoming.Enqueue(accepted);
        Wake();
    }

    /// <summary>Starts the scheduler thread.</summary>
    public void Start()
    {
        if (_thread is not null)
        {
            throw new InvalidOperationException("The tarpit scheduler is already running.");
        }

        _thread = new Thread(Loop) { IsBackground = true, Name = "tarpit-scheduler" };
        _thread.Start();
    }

    /// <summary>Stops the thread, closes every held connection (publishing Closed) and waits for that.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        Wake();
        if (_thread is null)
        {
            CloseAll();
            return;
        }

        await _stopped.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// One pass: admits new connections (first Step right away), then handles every connection due by now. Returns how
    /// long until the next one is due, or null when nothing is held. Scheduler thread, or a test in its place.
    /// </summary>
    public TimeSpan? RunOnce()
    {
        var now = NowTicks();
        CloseDeparted(now);
        while (_incoming.TryDequeue(out var accepted))
        {
            Admit(accepted, now);
        }

        // Entries scheduled during this pass are due strictly after `now` (see Schedule), so the pass ends.
        while (_due.TryPeek(out var slot, out var dueTicks) && dueTicks <= now)
        {
            _due.Dequeue();
            if (Unqueue(slot))
            {
                Handle(slot, now);
            }
        }

        AnswerSnapshots();
        while (_due.TryPeek(out var head, out _) && _table[head].Phase == HeldConnectionPhase.Closed)
        {
            _due.Dequeue(); // closed when its client left: nothing is due
            Unqueue(head);
        }

        return _due.TryPeek(out _, out var next) ? TimeSpan.FromTicks(Math.Max(0, next - NowTicks())) : null;
    }

    /// <summary>Closes everything held and everything not yet admitted. Scheduler thread, or a test in its place.</summary>
    public void CloseAll()
    {
        while (_incoming.TryDequeue(out var accepted))
        {
            SocketDescriptor.Close(accepted.Descriptor);
            accepted.Tarpit.Slots.Release();
        }

        var now = NowTicks();
        for (var slot = 0; slot < _table.HighWater; slot++)
        {
            if (_table.InUse(slot) && _table[slot].Phase != HeldConnectionPhase.Closed)
            {
                Close(slot, now, "agent shutting down");
            }
        }

        while (_due.TryDequeue(out var queued, out _))
        {
            Unqueue(queued);
        }
    }

    /// <summary>
    /// The slot's queue entry came out: true when it is a connection to handle; a connection closed while it was
    /// queued is freed now.
    /// </summary>
    private bool Unqueue(int slot)
    {
        ref var connection = ref _table[slot];
        connection.Queued = false;
        if (connection.Phase != HeldConnectionPhase.Closed)
        {
            return true;
        }

        _table.Free(slot);
        return false;
    }

    public void Dispose()
    {
        _timer.Dispose();
        _wake.Dispose();
        _hangups.Dispose();
    }

    /// <summary>
    /// Sleeps until woken or <paramref name="delay"/> has passed. On the system clock that is a plain timed wait; any
    /// other TimeProvider (a test's) gets its own timer, so that moving the clock wakes the thread.
    /// </summary>
    private void Sleep(TimeSpan delay)
    {
        if (_timeProvider == TimeProvider.System)
        {
            // epoll_wait: a client leaving wakes the pass that closes it, as does Wake's eventfd.
            _hangups.Wait(delay);
            return;
        }

        _timer.Change(delay, Timeout.InfiniteTimeSpan);
        _wake.Wait();
    }

    /// <summary>Wakes the thread: the eventfd on the system clock, the event (and a test's timer) otherwise.</summary>
    private void Wake()
    {
        _wake.Set();
        _hangups.Signal();
    }

    private long NowTicks() => _timeProvider.GetElapsedTime(_startTimestamp).Ticks;

    /// <summary>Between passes, not in one: gives the heap an accept burst and its aftermath grew back once it settled (<see cref="HeapCompaction"/>).</summary>
    private void CompactAfterBurst()
    {
        var now = NowTicks();
        if (_compaction.Due(_nextConnectionId, _lastAdmissionTicks, GC.GetTotalAllocatedBytes(precise: false), now))
        {
            HeapCompaction.Compact();
            _compaction.Compacted(_nextConnectionId, NowTicks());
        }
    }

    private void Loop()
    {
        try
        {
            var sleep = Timeout.InfiniteTimeSpan;
            while (!_stopping)
            {
                Sleep(sleep);
                _wake.Reset();
                if (_stopping)
                {
                    break;
                }

                TimeSpan? next;
                try
                {
                    next = RunOnce();
                }
                catch (Exception ex)
                {
                    EngineLog.SchedulerPassFailed(_log, ex);
                    next = MaxPoll;
                }

                CompactAfterBurst();
                sleep = next is { } delay ? TimeSpan.FromTicks(Math.Clamp(delay.Ticks, Resolution.Ticks, MaxSleep.Ticks)) : MaxSleep;
            }

            CloseAll();
        }
        catch (Exception ex)
        {
            EngineLog.SchedulerStopped(_log, ex);
        }
        finally
        {
            AnswerSnapshotsEmpty();
            _stopped.TrySetResult();
        }
    }
}
