using Tarpit.Store;

namespace Tarpit.Tests.Store;

public sealed class BanStoreTransactionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_transaction_writes_all_its_rows_at_its_commit_and_not_before()
    {
        using var dir = new TempStateDir();
        var store = BanStore.Open(dir.Path);
        using var other = store.Connect();

        var (seenInside, seenByOtherBeforeCommit) = store.RunInTransaction(() =>
        {
            store.Insert(BanStoreTests.Ban("192.0.2.2/32", TimeSpan.FromHours(1)));
            store.Insert(BanStoreTests.Ban("192.0.2.3/32", TimeSpan.FromHours(1)));
            store.Insert(BanStoreTests.Ban("192.0.2.4/32", TimeSpan.FromHours(1)));
            return (store.Active(Now).Count, CountBans(other));
        });

        Assert.Equal((3, 0L), (seenInside, seenByOtherBeforeCommit));
        Assert.Equal(3L, CountBans(other));
    }

    [Fact]
    public void A_transaction_that_throws_keeps_nothing_and_the_store_stays_usable()
    {
        using var dir = new TempStateDir();
        var store = BanStore.Open(dir.Path);

        Assert.Throws<InvalidOperationException>(() => store.RunInTransaction<int>(() =>
        {
            store.Insert(BanStoreTests.Ban("192.0.2.2/32", TimeSpan.FromHours(1)));
            throw new InvalidOperationException("interrupted");
        }));
        store.Insert(BanStoreTests.Ban("192.0.2.3/32", TimeSpan.FromHours(1)));

        Assert.Equal(["192.0.2.3/32"], store.Active(Now).Select(b => b.Target.ToString()));
    }

    private static long CountBans(Microsoft.Data.Sqlite.SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM bans;";
        return (long)command.ExecuteScalar()!;
    }
}
