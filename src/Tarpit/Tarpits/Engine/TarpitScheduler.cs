using System.Collections.Concurrent;
using Serilog;
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

    /// <summary>
    /// The scheduler's tick: between passes the thread sleeps at least this long unless an accept wakes it, so that
    /// thousands of jittered drips are sent in batches (at most 100 passes a second) rather than one wake-up each.
    /// A drip can be this much late, which no client can tell from network jitter.
    /// </summary>
    public static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest the thread sleeps with nothing due; bounds the damage of a lost wake-up.</summary>
    private static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(1);

    private readonly ConnectionEvents events;
    private readonly ILogger log;
    private readonly TimeProvider timeProvider;
    private readonly Random random;
    private readonly long startTimestamp;
    private readonly ConcurrentQueue<AcceptedConnection> incoming = new();
    private readonly PriorityQueue<HeldConnection, long> due = new();
    private readonly byte[] receiveBuffer = new byte[MaxReceiveChunk];
    private readonly byte[] outputBuffer = new byte[SessionContext.MinOutputCapacity];
    // No spinning before blocking: wake-ups are rare and a spin would only burn CPU.
    private readonly ManualResetEventSlim wake = new(false, spinCount: 1);
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ITimer timer;
    private Thread? thread;
    private volatile bool stopping;
    private long nextConnectionId;
    private int held;

    public TarpitScheduler(ConnectionEvents events, ILogger log, TimeProvider timeProvider, Random? random = null)
    {
        this.events = events;
        this.log = log;
        this.timeProvider = timeProvider;
        this.random = random ?? new Random();
        startTimestamp = timeProvider.GetTimestamp();
        timer = timeProvider.CreateTimer(static state => ((ManualResetEventSlim)state!).Set(), wake, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Connections held right now, over all tarpits.</summary>
    public int Held => Volatile.Read(ref held);

    /// <summary>Hands an accepted socket to the scheduler. Any thread.</summary>
    public void Enqueue(AcceptedConnection accepted)
    {
        incoming.Enqueue(accepted);
        wake.Set();
    }

    /// <summary>Starts the scheduler thread.</summary>
    public void Start()
    {
        if (thread is not null)
        {
            throw new InvalidOperationException("The tarpit scheduler is already running.");
        }

        thread = new Thread(Loop) { IsBackground = true, Name = "tarpit-scheduler" };
        thread.Start();
    }

    /// <summary>Stops the thread, closes every held connection (publishing Closed) and waits for that.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        stopping = true;
        wake.Set();
        if (thread is null)
        {
            CloseAll();
            return;
        }

        await stopped.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// One pass: admits new connections (first Step right away), then handles every connection due by now. Returns how
    /// long until the next one is due, or null when nothing is held. Scheduler thread, or a test in its place.
    /// </summary>
    public TimeSpan? RunOnce()
    {
        var now = NowTicks();
        while (incoming.TryDequeue(out var accepted))
        {
            Admit(accepted, now);
        }

        // Entries scheduled during this pass are due strictly after `now` (see Schedule), so the pass ends.
        while (due.TryPeek(out var connection, out var dueTicks) && dueTicks <= now)
        {
            due.Dequeue();
            Handle(connection, now);
        }

        return due.TryPeek(out _, out var next) ? TimeSpan.FromTicks(Math.Max(0, next - NowTicks())) : null;
    }

    /// <summary>Closes everything held and everything not yet admitted. Scheduler thread, or a test in its place.</summary>
    public void CloseAll()
    {
        while (incoming.TryDequeue(out var accepted))
        {
            accepted.Socket.Dispose();
            accepted.Tarpit.Slots.Release();
        }

        var now = NowTicks();
        while (due.TryDequeue(out var connection, out _))
        {
            Close(connection, now, "agent shutting down");
        }
    }

    public void Dispose()
    {
        timer.Dispose();
        wake.Dispose();
    }

    /// <summary>
    /// Sleeps until woken or <paramref name="delay"/> has passed. On the system clock that is a plain timed wait; any
    /// other TimeProvider (a test's) gets its own timer, so that moving the clock wakes the thread.
    /// </summary>
    private void Sleep(TimeSpan delay)
    {
        if (timeProvider == TimeProvider.System)
        {
            wake.Wait(delay);
            return;
        }

        timer.Change(delay, Timeout.InfiniteTimeSpan);
        wake.Wait();
    }

    private long NowTicks() => timeProvider.GetElapsedTime(startTimestamp).Ticks;

    private void Loop()
    {
        try
        {
            var sleep = Timeout.InfiniteTimeSpan;
            while (!stopping)
            {
                Sleep(sleep);
                wake.Reset();
                if (stopping)
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
                    EngineLog.SchedulerPassFailed(log, ex);
                    next = MaxPoll;
                }

                sleep = next is { } delay ? TimeSpan.FromTicks(Math.Clamp(delay.Ticks, Resolution.Ticks, MaxSleep.Ticks)) : MaxSleep;
            }

            CloseAll();
        }
        catch (Exception ex)
        {
            EngineLog.SchedulerStopped(log, ex);
        }
        finally
        {
            stopped.TrySetResult();
        }
    }
}
