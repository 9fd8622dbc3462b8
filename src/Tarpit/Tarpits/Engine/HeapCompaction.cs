namespace Tarpit.Tarpits.Engine;

/// <summary>
/// When the scheduler gives the GC's committed heap back after an accept burst: each accept leaves garbage (the .NET
/// <c>Socket</c> the accept loop gets, its endpoints, the events; about 1 KB for an SSH hold, 4 KB for a verified HTTP or
/// TLS client; HeldFootprintTests) between the bytes a held connection keeps, and the GC keeps the heap it grew to
/// committed, so RSS per held connection was ~1.1 KB where the live data was ~230 B (docs/BENCHMARKS.md, issue 16). One
/// aggressive, compacting collection once the burst has settled returns it, as the CrowdSec bouncer does after a big
/// pull (<c>CrowdsecBouncer.CompactAfter</c>). Settled means the accepts and the whole process: after 10,000 TLS
/// clients the event sinks write their captures for seconds more, and a compaction 2 s after the last accept left the
/// 80 MiB they grew for the 30 s until the next one was allowed. Bounded: only after <see cref="MinAdmissions"/> new
/// connections, only once accepts have been quiet for <see cref="Quiet"/> and the process allocated no more than
/// <see cref="QuietBytes"/> in a window of it, and at most once per <see cref="MinInterval"/>, so a steady stream of
/// scanners never makes it a per-connection cost. Times are scheduler ticks; scheduler thread only.
/// </summary>
internal sealed class HeapCompaction
{
    /// <summary>
    /// New connections since the last compaction before one is worth it: 2,000 accepts leave ~2 MB of garbage, about
    /// what a full collection of the agent's small heap costs a few milliseconds to compact; fewer are left to the GC.
    /// </summary>
    public const int MinAdmissions = 2_000;

    /// <summary>
    /// Allocated by the whole process in one <see cref="Quiet"/> window, at most, for it to count as settled: a held
    /// drip allocates nothing, an idle agent a few KB a second (timers, metrics); a burst's aftermath megabytes.
    /// </summary>
    public const long QuietBytes = 512 * 1024;

    /// <summary>No accept for this long, and a window of allocation this long: the burst is over (10,000 take about a second).</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    /// <summary>At most one compaction per this long, whatever the traffic: it pauses every thread for its length.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(30);

    private long _admissionsAtLast;
    private long _lastTicks = long.MinValue / 2;
    private long _windowTicks;
    private long _windowBytes;

    /// <summary>
    /// True when the heap should be compacted now; the caller then compacts and calls <see cref="Compacted"/>. Looks at
    /// the allocation once per <see cref="Quiet"/> window (more often it only returns false).
    /// </summary>
    /// <param name="admissions">Connections admitted since the scheduler started.</param>
    /// <param name="lastAdmissionTicks">When the last of them was admitted.</param>
    /// <param name="allocatedBytes">Bytes the process allocated since it started (<see cref="GC.GetTotalAllocatedBytes"/>).</param>
    /// <param name="now">Now, in the same ticks.</param>
    public bool Due(long admissions, long lastAdmissionTicks, long allocatedBytes, long now)
    {
        if (now - _windowTicks < Quiet.Ticks)
        {
            return false;
        }

        var settled = allocatedBytes - _windowBytes <= QuietBytes;
        _windowTicks = now;
        _windowBytes = allocatedBytes;
        return settled
            && admissions - _admissionsAtLast >= MinAdmissions
            && now - lastAdmissionTicks >= Quiet.Ticks
            && now - _lastTicks >= MinInterval.Ticks;
    }

    public void Compacted(long admissions, long now)
    {
        _admissionsAtLast = admissions;
        _lastTicks = now;
    }

    /// <summary>Blocking and compacting, as <see cref="GCCollectionMode.Aggressive"/> requires: it also decommits the free regions.</summary>
    public static void Compact() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
