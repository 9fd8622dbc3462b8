using System.Net;
using Tarpit.Store;

namespace Tarpit.Tests.Store;

/// <summary>
/// The daemon's index of stored targets answers "never banned" without SQL; a "no" must be exact, whoever wrote the
/// row (the daemon, or a verb's process beside it) and after rows left the table.
/// </summary>
public sealed class TargetIndexTests
{
    private static readonly DateTimeOffset Now = BanStoreTests.Now;

    [Theory]
    [InlineData("192.0.2.7/32", "192.0.2.7/32", true)]
    [InlineData("192.0.2.0/24", "192.0.2.7/32", true)]
    [InlineData("192.0.2.0/24", "192.0.3.7/32", false)]
    [InlineData("192.0.2.0/24", "192.0.2.128/25", true)]
    [InlineData("192.0.2.128/25", "192.0.2.0/24", false)]
    [InlineData("0.0.0.0/0", "203.0.113.9/32", true)]
    [InlineData("192.0.2.8/32", "192.0.2.7/32", false)]
    [InlineData("2001:db8::/32", "2001:db8:1::5/128", true)]
    [InlineData("2001:db8::/32", "2001:db9::5/128", false)]
    [InlineData("::/0", "2001:db9::5/128", true)]
    [InlineData("2001:db8::5/128", "2001:db8::5/128", true)]
    [InlineData("0.0.0.0/0", "2001:db8::5/128", false)]
    [InlineData("::/0", "192.0.2.7/32", false)]
    public void May_cover_says_no_only_when_no_stored_target_covers(string stored, string asked, bool expected)
    {
        var index = new TargetIndex();
        index.Add(IPNetwork.Parse(stored));

        Assert.Equal(expected, index.MayCover(IPNetwork.Parse(asked)));
        Assert.Equal(stored == asked, index.MayHold(IPNetwork.Parse(asked)));
    }

    [Fact]
    public void The_daemon_store_answers_from_the_index_what_sql_answers()
    {
        using var dir = new TempStateDir();
        var daemon = BanStore.Open(dir.Path);
        daemon.IndexTargets();
        daemon.Insert(BanStoreTests.Ban("192.0.2.0/24", TimeSpan.FromHours(1)));
        daemon.Insert(BanStoreTests.Ban("198.51.100.7/32", TimeSpan.FromHours(1)));

        Assert.Single(daemon.Covering(IPNetwork.Parse("192.0.2.9/32"), Now));
        Assert.Single(daemon.Covering(IPNetwork.Parse("198.51.100.7/32"), Now));
        Assert.Empty(daemon.Covering(IPNetwork.Parse("198.51.100.8/32"), Now));
        Assert.Equal(1, daemon.History(IPNetwork.Parse("198.51.100.7/32")).BanCount);
        Assert.Equal(0, daemon.History(IPNetwork.Parse("198.51.100.8/32")).BanCount);
        Assert.NotNull(daemon.CountsAfter(IPNetwork.Parse("192.0.2.9/32")));
        Assert.Null(daemon.CountsAfter(IPNetwork.Parse("203.0.113.1/32")));
    }

    [Fact]
    public void A_ban_another_process_stored_after_the_index_was_built_is_found()
    {
        using var dir = new TempStateDir();
        var daemon = BanStore.Open(dir.Path);
        daemon.IndexTargets();
        daemon.Insert(BanStoreTests.Ban("192.0.2.1/32", TimeSpan.FromHours(1)));
        Assert.Empty(daemon.Covering(IPNetwork.Parse("198.51.100.7/32"), Now));

        // A verb (fail2ban's ban) in its own process, then the daemon's own next ban with a higher id.
        BanStore.Open(dir.Path).Insert(BanStoreTests.Ban("198.51.100.0/24", TimeSpan.FromHours(1)));
        daemon.Insert(BanStoreTests.Ban("192.0.2.2/32", TimeSpan.FromHours(1)));
        BanStore.Open(dir.Path).Insert(BanStoreTests.Ban("203.0.113.5/32", TimeSpan.FromHours(1)));

        Assert.Single(daemon.Covering(IPNetwork.Parse("198.51.100.7/32"), Now));
        Assert.Equal(1, daemon.History(IPNetwork.Parse("203.0.113.5/32")).BanCount);
        Assert.NotNull(daemon.CountsAfter(IPNetwork.Parse("198.51.100.9/32")));
    }

    [Fact]
    public void After_retention_removed_the_newest_rows_a_reused_row_id_is_still_found()
    {
        using var dir = new TempStateDir();
        var daemon = BanStore.Open(dir.Path);
        daemon.IndexTargets();
        var ended = BanStoreTests.Ban("192.0.2.1/32", TimeSpan.FromHours(1)) with { ExpiredAt = Now };
        var first = daemon.Insert(ended);
        Assert.Equal(1, daemon.IndexedTargets());

        // Retention removes the only (so the newest) row: SQLite gives the next insert the same id again.
        Assert.Equal(1, daemon.PruneEndedBans(Now + TimeSpan.FromDays(400), batch: 10));
        var reused = BanStore.Open(dir.Path).Insert(BanStoreTests.Ban("198.51.100.7/32", TimeSpan.FromHours(1)));
        Assert.Equal(first.Id, reused.Id);

        Assert.Single(daemon.Covering(IPNetwork.Parse("198.51.100.7/32"), Now));
    }
}
