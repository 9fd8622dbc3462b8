using System.Collections.Concurrent;

namespace Tarpit.Tarpits.Engine;

/// <summary>
/// Who is held right now, for <c>tarpit-agent sessions</c>: a request is posted to the scheduler thread, which answers
/// it at the end of its next pass by copying what it owns. Nothing is locked on the drip path and no connection
/// carries anything more; the copy exists only for the one request.
/// </summary>
internal sealed partial class TarpitScheduler
{
    private readonly ConcurrentQueue<TaskCompletionSource<IReadOnlyList<HeldSnapshot>>> _snapshots = new();

    /// <summary>Every held connection, oldest first, as the scheduler's next pass sees it. Any thread.</summary>
    public Task<IReadOnlyList<HeldSnapshot>> SnapshotAsync(CancellationToken cancellationToken)
    {
        var request = new TaskCompletionSource<IReadOnlyList<HeldSnapshot>>(TaskCreationOptions.RunContinuationsAsynchronously);
        _snapshots.Enqueue(request);
        Wake();
        return request.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Answers the snapshot requests posted so far. Scheduler thread, at the end of a pass.</summary>
    private void AnswerSnapshots()
    {
        if (_snapshots.IsEmpty)
        {
            return;
        }

        IReadOnlyList<HeldSnapshot>? snapshot = null;
        while (_snapshots.TryDequeue(out var request))
        {
            snapshot ??= TakeSnapshot();
            request.TrySetResult(snapshot);
        }
    }

    /// <summary>
    /// The connections held, oldest first (ids are given in the order of admission). Their accept times are told
    /// back from now and the scheduler's monotonic ticks (a connection keeps no wall-clock time of its own).
    /// </summary>
    private List<HeldSnapshot> TakeSnapshot()
    {
        var now = NowTicks();
        var utcNow = _timeProvider.GetUtcNow();
        var held = new List<HeldSnapshot>();
        for (var slot = 0; slot < _table.HighWater; slot++)
        {
            if (!_table.InUse(slot))
            {
                continue;
            }

            ref var c = ref _table[slot];
            if (c.Phase is HeldConnectionPhase.Closing or HeldConnectionPhase.Closed)
            {
                continue;
            }

            held.Add(new HeldSnapshot(
                c.Id,
                c.Tarpit.Name,
                c.Tarpit.Protocol,
                c.Tarpit.Mode.Name,
                c.Remote,
                c.LocalPort,
                c.OriginalPort,
                utcNow - TimeSpan.FromTicks(now - c.AcceptedTicks),
                c.BytesSent,
                c.Verified,
                c.FirstBytes,
                c.Proxy));
        }

        held.Sort(static (a, b) => a.ConnectionId.CompareTo(b.ConnectionId));
        return held;
    }

    /// <summary>A stopped scheduler answers nothing more: the requests still waiting get an empty list.</summary>
    private void AnswerSnapshotsEmpty()
    {
        while (_snapshots.TryDequeue(out var request))
        {
            request.TrySetResult([]);
        }
    }
}
