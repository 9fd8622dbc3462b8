using System.Net;
using Microsoft.Data.Sqlite;
using Tarpit.Net;

namespace Tarpit.Store;

internal sealed partial class BanStore
{
    /// <summary>
    /// Bans in force that cover <paramref name="target"/> (itself included), narrowest first: one indexed lookup
    /// of the target's networks at every prefix length, so it stays cheap with thousands of bans.
    /// </summary>
    public IReadOnlyList<BanRecord> Covering(IPNetwork target, DateTimeOffset now)
    {
        return Locked(_ =>
        {
            if (CurrentIndex()?.MayCover(target) == false)
            {
                return [];
            }

            var keys = CoveringKeys(target);
            var command = Statement(CoveringSql);
            BindCovering(command, keys, now);
            return ReadBans(command).OrderByDescending(b => b.Target.PrefixLength).ToList();
        });
    }

    /// <summary>Bans in force strictly inside <paramref name="target"/> (narrower prefixes it would replace).</summary>
    public IReadOnlyList<BanRecord> Inside(IPNetwork target, DateTimeOffset now)
    {
        return Networks.IsHost(target)
            ? []
            : [.. Active(now).Where(b => b.Target.PrefixLength > target.PrefixLength && target.Contains(b.Target.BaseAddress))];
    }

    /// <summary>
    /// The open bans among <paramref name="keys"/>. <c>INDEXED BY bans_target</c>: without statistics SQLite prefers
    /// <c>bans_open</c> (two equalities on NULL) and scans every ban in force for each lookup, which made a burst of
    /// 10,000 bans quadratic (16 s through the ban service, against 7 s with the target index).
    /// </summary>
    internal static SqliteCommand CoveringCommand(SqliteConnection connection, IReadOnlyList<string> keys, DateTimeOffset now)
    {
        var command = connection.CreateCommand();
        command.CommandText = CoveringSql;
        BindCovering(command, keys, now);
        return command;
    }

    /// <summary>
    /// The covering lookup. The keys go in as one JSON array (<c>json_each</c>), not one parameter each: binding 33
    /// named parameters (129 for IPv6) looked each name up in the statement's list, and that and the binding were most
    /// of a lookup's time in a burst of 10,000 bans (perf: <c>sqlite3VListNameToNum</c>, <c>strncmp</c>).
    /// </summary>
    private const string CoveringSql =
        $"SELECT {Columns} FROM bans INDEXED BY bans_target WHERE target IN (SELECT value FROM json_each($keys)) AND {OpenCondition};";

    /// <summary>The keys of <paramref name="target"/> and of every network around it, narrowest first.</summary>
    private static List<string> CoveringKeys(IPNetwork target)
    {
        var keys = new List<string>(target.PrefixLength + 1);
        for (var prefix = target.PrefixLength; prefix >= 0; prefix--)
        {
            keys.Add(Key(Networks.Containing(target.BaseAddress, prefix)));
        }

        return keys;
    }

    private static void BindCovering(SqliteCommand command, IReadOnlyList<string> keys, DateTimeOffset now)
    {
        command.Parameters.AddWithValue("$keys", KeysJson(keys));
        command.Parameters.AddWithValue("$now", ToUnixMs(now));
    }

    /// <summary>The keys as a JSON array of strings (a key is an address and a prefix length: nothing to escape).</summary>
    private static string KeysJson(IReadOnlyList<string> keys)
    {
        var json = new System.Text.StringBuilder(keys.Count * 24);
        json.Append('[');
        for (var i = 0; i < keys.Count; i++)
        {
            json.Append(i == 0 ? "\"" : ",\"").Append(keys[i]).Append('"');
        }

        return json.Append(']').ToString();
    }
}
