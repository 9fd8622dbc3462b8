using Tarpit.Tarpits.Engine;

namespace Tarpit.Tests.Tarpits.Engine;

public sealed class HeapCompactionTests
{
    private static readonly long Quiet = HeapCompaction.Quiet.Ticks;

    /// <summary>What a settled agent allocates per Quiet window here: nothing (its drips allocate none).</summary>
    private const long Idle = 0;

    [Fact]
    public void A_burst_of_MinAdmissions_is_compacted_once_accepts_and_allocation_have_been_quiet()
    {
        var compaction = new HeapCompaction();
        const long allocated = 40L << 20; // the burst's garbage, allocated before the first window closed

        Assert.False(compaction.Due(HeapCompaction.MinAdmissions, 0, allocated, Quiet), "the first window saw the burst allocate");
        Assert.False(compaction.Due(HeapCompaction.MinAdmissions - 1, 0, allocated + Idle, 2 * Quiet), "one admission short of the burst");
        Assert.False(compaction.Due(HeapCompaction.MinAdmissions, (3 * Quiet) - 1, allocated + Idle, 3 * Quiet), "accepts not quiet for long enough yet");
        Assert.True(compaction.Due(HeapCompaction.MinAdmissions, (3 * Quiet) - 1, allocated + Idle, 4 * Quiet));
    }

    /// <summary>
    /// The defect bench/http-tls/held showed (issue 16): 10,000 TLS clients accepted in 0.3 s, compacted 2 s later, and
    /// then the event sinks (the store writing 10,000 captures) grew the heap by 80 MiB, which stayed for the 30 s
    /// until a compaction was allowed again. Now the compaction waits until the whole process stopped allocating.
    /// </summary>
    [Fact]
    public void A_burst_whose_events_are_still_being_written_is_not_compacted_until_that_settles()
    {
        var compaction = new HeapCompaction();
        var allocated = 0L;
        var now = 0L;
        var lastAdmission = 0L;
        for (var window = 1; window <= 5; window++)
        {
            now = window * Quiet;
            allocated += 8L << 20; // the sinks, 4 MB/s
            Assert.False(compaction.Due(HeapCompaction.MinAdmissions, lastAdmission, allocated, now), $"still allocating in window {window}");
        }

        now += Quiet;
        Assert.True(compaction.Due(HeapCompaction.MinAdmissions, lastAdmission, allocated + HeapCompaction.QuietBytes, now), "settled: no more than QuietBytes in a window");
    }

    [Fact]
    public void After_a_compaction_the_next_waits_for_MinAdmissions_more_and_MinInterval()
    {
        var compaction = new HeapCompaction();
        var first = Quiet;
        Assert.True(compaction.Due(HeapCompaction.MinAdmissions, 0, Idle, first));
        compaction.Compacted(HeapCompaction.MinAdmissions, first);
        var twice = 2 * HeapCompaction.MinAdmissions;
        var soon = first + HeapCompaction.MinInterval.Ticks - 1;
        var later = first + HeapCompaction.MinInterval.Ticks;

        Assert.False(compaction.Due(twice - 1, 0, Idle, later - (2 * Quiet)), "one admission short of a second burst");
        Assert.False(compaction.Due(twice, 0, Idle, soon), "inside MinInterval of the last compaction");
        Assert.False(compaction.Due(twice, 0, Idle, soon + 1), "within a Quiet window of the last look");
        Assert.True(compaction.Due(twice, 0, Idle, later + Quiet));
    }
}
