namespace Tarpit.Tarpits.Engine;

/// <summary>
/// When the scheduler gives the GC's committed heap back after an accept burst: each accept leaves about a kilobyte
/// of garbage (the .NET <c>Socket</c> the accept loop gets, its endpoints, the Opened event; HeldFootprintTests)
/// between the ~130 bytes a held connection keeps, and the GC keeps the heap it grew to committed, so RSS per
/// held connection was ~1.1 KB where the live data was ~230 B (docs/BENCHMARKS.md, issue 16). One aggressive,
/// compacting collection once the burst has settled returns it, as the CrowdSec bouncer does after a big pull
/// (<c>CrowdsecBouncer.CompactAfter</c>). Bounded: only after <see cref="MinAdmissions"/> new connections, only once
/// accepts have been quiet for <see cref="Quiet"/>, and at most once per <see cref="MinInterval"/>, so a steady
/// stream of scanners never makes it a per-connection cost. Times are scheduler ticks; scheduler thread only.
/// </summary>
internal sealed class HeapCompaction
{
    /// <summary>
    /// New connections since the last compaction before one is worth it: 2,000 accepts leave ~2 MB of garbage, about
    /// what a full collection of the agent's small heap costs a few milliseconds to compact; fewer are left to the GC.
    /// </summary>
    public const int MinAdmissions = 2_000;

    /// <summary>No accept for this long: the burst is over (a burst of 10,000 takes about a second here).</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    /// <summary>At most one compaction per this long, whatever the traffic: it pauses every thread for its length.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(30);

    private long _admissionsAtLast;
    private long _lastTicks = long.MinValue / 2;

    /// <summary>True when the heap should be compacted now; the caller then compacts and calls <see cref="Compacted"/>.</summary>
    /// <param name="admissions">Connections admitted since the scheduler started.</param>
    /// <param name="lastAdmissionTicks">When the last of them was admitted.</param>
    /// <param name="now">Now, in the same ticks.</param>
    public bool Due(long admissions, long lastAdmissionTicks, long now) =>
        admissions - _admissionsAtLast >= MinAdmissions
        && now - lastAdmissionTicks >= Quiet.Ticks
        && now - _lastTicks >= MinInterval.Ticks;

    public void Compacted(long admissions, long now)
    {
        _admissionsAtLast = admissions;
        _lastTicks = now;
    }

    /// <summary>Blocking and compacting, as <see cref="GCCollectionMode.Aggressive"/> requires: it also decommits the free regions.</summary>
    public static void Compact() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
