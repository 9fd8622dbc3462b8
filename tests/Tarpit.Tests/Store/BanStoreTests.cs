using System.Net;
using Microsoft.Data.Sqlite;
using Tarpit.Store;

namespace Tarpit.Tests.Store;

public sealed class BanStoreTests
{
    internal static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_new_store_is_migrated_to_the_latest_schema_in_wal_mode_with_private_modes()
    {
        using var dir = new TempStateDir();

        var store = BanStore.Open(dir.Path);

        using var connection = store.Connect();
        Assert.Equal(StoreSchema.LatestVersion, StoreSchema.Version(connection));
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)command.ExecuteScalar());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir.Path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.Path));
    }

    [Fact]
    public void Reopening_keeps_the_data_and_does_not_migrate_again()
    {
        using var dir = new TempStateDir();
        BanStore.Open(dir.Path).Insert(Ban("192.0.2.2/32", TimeSpan.FromHours(1)));

        var reopened = BanStore.Open(dir.Path);

        Assert.Single(reopened.Active(Now));
    }

    [Fact]
    public void A_database_from_a_newer_agent_is_refused_with_a_clear_message()
    {
        using var dir = new TempStateDir();
        var store = BanStore.Open(dir.Path);
        using (var connection = store.Connect())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"PRAGMA user_version = {StoreSchema.LatestVersion + 1};";
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        var ex = Assert.Throws<OperatorException>(() => BanStore.Open(dir.Path));

        Assert.Contains("newer than this agent", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Expired_bans_are_marked_and_kept_as_history()
    {
        using var dir = new TempStateDir();
        var store = BanStore.Open(dir.Path);
        store.Insert(Ban("192.0.2.2/32", TimeSpan.FromMinutes(1)));
        store.Insert(Ban("192.0.2.3/32", null));

        var marked = store.MarkExpired(Now + TimeSpan.FromMinutes(2));

        Assert.Equal(1, marked);
        var later = Now + TimeSpan.FromMinutes(2);
        Assert.Equal([IPNetwork.Parse("192.0.2.3/32")], store.Active(later).Select(b => b.Target));
        var history = store.List(all: true, later);
        Assert.Equal(2, history.Count);
        Assert.Contains(history, r => r.Target == IPNetwork.Parse("192.0.2.2/32") && !r.Active && r.EndedAt == Now + TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void Covering_finds_the_address_and_the_prefixes_around_it_narrowest_first()
    {
        using var dir = new TempStateDir();
        var store = BanStore.Open(dir.Path);
        store.Insert(Ban("192.0.2.0/24", TimeSpan.FromHours(1)));
        store.Insert(Ban("192.0.2.7/32", TimeSpan.FromHours(1)));
        store.Insert(Ban("198.51.100.0/24", TimeSpan.FromHours(1)));

        var covering = store.Covering(IPNetwork.Parse("192.0.2.7/32"), Now);

        Assert.Equal([IPNetwork.Parse("192.0.2.7/32"), IPNetwork.Parse("192.0.2.0/24")], covering.Select(b => b.Target));
        Assert.Equal([IPNetwork.Parse("192.0.2.7/32")], store.Inside(IPNetwork.Parse("192.0.2.0/24"), Now).Select(b => b.Target));
    }

    [Fact]
    public void Listing_joins_each_ban_with_the_sessions_of_its_addresses_newest_first()
    {
        using var dir = new TempStateDir();
        var store = BanStore.Open(dir.Path);
        store.Insert(Ban("2001:db8::/48", TimeSpan.FromHours(1)));
        store.Insert(Ban("192.0.2.2/32", TimeSpan.FromHours(1)) with { BannedAt = Now + TimeSpan.FromSeconds(1) });
        store.AddSessions(
        [
            Session("192.0.2.2", TimeSpan.FromMinutes(10), 100),
            Session("::ffff:192.0.2.2", TimeSpan.FromMinutes(5), 50),
            Session("2001:db8::9", TimeSpan.FromHours(2), 7),
            Session("198.51.100.1", TimeSpan.FromHours(1), 1),
        ]);

        var rows = store.List(all: false, Now + TimeSpan.FromMinutes(1));

        Assert.Equal([IPNetwork.Parse("192.0.2.2/32"), IPNetwork.Parse("2001:db8::/48")], rows.Select(r => r.Target));
        Assert.Equal((2, TimeSpan.FromMinutes(15), 150L), (rows[0].Sessions, rows[0].TimeTrapped, rows[0].BytesSent));
        Assert.Equal((1, TimeSpan.FromHours(2), 7L), (rows[1].Sessions, rows[1].TimeTrapped, rows[1].BytesSent));
    }

    [Fact]
    public void History_reports_the_highest_ban_count_and_the_first_time_seen()
    {
        using var dir = new TempStateDir();
        var store = BanStore.Open(dir.Path);
        var target = IPNetwork.Parse("192.0.2.2/32");
        store.Insert(Ban("192.0.2.2/32", TimeSpan.FromHours(1)) with { BanCount = 1, ExpiredAt = Now });
        store.Insert(Ban("192.0.2.2/32", TimeSpan.FromHours(2)) with { BanCount = 2, FirstSeen = Now - TimeSpan.FromDays(1) });

        Assert.Equal((2, Now - TimeSpan.FromDays(1)), store.History(target));
        Assert.Equal((0, null), store.History(IPNetwork.Parse("192.0.2.3/32")));
    }

    internal static BanRecord Ban(string target, TimeSpan? duration) => new(
        0, IPNetwork.Parse(target), "manual", "test", Now, Now, Now + duration, duration, 1, null);

    private static SessionRecord Session(string address, TimeSpan length, long bytes) =>
        new(IPAddress.Parse(address), "ssh", "endless-banner", 22, Now - length, Now, bytes, true, "SSH-2.0-Go");
}
