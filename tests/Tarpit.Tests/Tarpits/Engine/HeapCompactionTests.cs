using Tarpit.Tarpits.Engine;

namespace Tarpit.Tests.Tarpits.Engine;

public sealed class HeapCompactionTests
{
    private static readonly long Quiet = HeapCompaction.Quiet.Ticks;

    [Fact]
    public void A_burst_of_MinAdmissions_is_compacted_once_accepts_have_been_quiet()
    {
        var compaction = new HeapCompaction();

        Assert.False(compaction.Due(HeapCompaction.MinAdmissions - 1, 0, Quiet), "one admission short of the burst");
        Assert.False(compaction.Due(HeapCompaction.MinAdmissions, 0, Quiet - 1), "accepts not quiet for long enough yet");
        Assert.True(compaction.Due(HeapCompaction.MinAdmissions, 0, Quiet));
    }

    [Fact]
    public void After_a_compaction_the_next_waits_for_MinAdmissions_more_and_MinInterval()
    {
        var compaction = new HeapCompaction();
        var first = Quiet;
        compaction.Compacted(HeapCompaction.MinAdmissions, first);
        var twice = 2 * HeapCompaction.MinAdmissions;
        var soon = first + HeapCompaction.MinInterval.Ticks - 1;
        var later = first + HeapCompaction.MinInterval.Ticks;

        Assert.False(compaction.Due(twice - 1, 0, later), "one admission short of a second burst");
        Assert.False(compaction.Due(twice, 0, soon), "inside MinInterval of the last compaction");
        Assert.True(compaction.Due(twice, 0, later));
    }
}
