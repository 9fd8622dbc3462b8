using Tarpit.Store;

namespace Tarpit.Tests.Store;

public sealed class BanStoreCoveringTests
{
    [Fact]
    public void The_covering_lookup_searches_the_target_index_not_every_ban_in_force()
    {
        using var dir = new TempStateDir();
        var store = BanStore.Open(dir.Path);
        using var connection = store.Connect();
        using var command = BanStore.CoveringCommand(connection, ["192.0.2.7/32", "192.0.2.6/31", "0.0.0.0/0"], DateTimeOffset.UnixEpoch);
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;

        var plan = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                plan.Add(reader.GetString(3));
            }
        }

        // The keys are a json_each list: SQLite scans that list (or builds its IN-list from it) and searches the
        // index once per key; it never scans the bans table itself.
        Assert.Contains(plan, step => step.StartsWith("SEARCH bans USING INDEX bans_target (target=?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN bans", StringComparison.Ordinal));
    }
}
