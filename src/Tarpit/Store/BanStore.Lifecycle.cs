using System.Net;

namespace Tarpit.Store;

internal sealed partial class BanStore
{
    /// <summary>
    /// The time offences of the address <paramref name="host"/> no longer count before: the start of the last ban of the
    /// address or of a network around it, or the last time one of them was lifted by hand (an unban forgives), the
    /// later of the two. Null when neither was ever banned. One indexed lookup of the address's networks.
    /// </summary>
    public DateTimeOffset? CountsAfter(IPNetwork host)
    {
        return Locked(_ =>
        {
            if (CurrentIndex()?.MayCover(host) == false)
            {
                return null;
            }

            var keys = CoveringKeys(host);
            var command = Statement(
                "SELECT MAX(banned_at), MAX(unbanned_at) FROM bans INDEXED BY bans_target WHERE target IN (SELECT value FROM json_each($keys));");
            command.Parameters.AddWithValue("$keys", KeysJson(keys));

            using var reader = command.ExecuteReader();
            reader.Read();
            var banned = Time(reader, 0);
            var lifted = Time(reader, 1);
            return lifted is { } l && (banned is null || l > banned) ? lifted : banned;
        });
    }

    /// <summary>The most recent ban of exactly this target, in force or ended; null when it was never banned.</summary>
    public BanRecord? Last(IPNetwork target)
    {
        return Locked(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM bans WHERE target = $target ORDER BY id DESC LIMIT 1;";
            command.Parameters.AddWithValue("$target", Key(target));
            return ReadBans(command).FirstOrDefault();
        });
    }

    /// <summary>
    /// SQLite's <c>PRAGMA data_version</c> on the shared connection: it changes when another connection (a verb's
    /// process) committed, and never for this store's own writes. A cheap "did anyone else write" check.
    /// </summary>
    public long DataVersion()
    {
        return Locked(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA data_version;";
            return (long)command.ExecuteScalar()!;
        });
    }

    /// <summary>The highest ban id stored so far (0 for an empty store).</summary>
    public long LastBanId()
    {
        return Locked(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT COALESCE(MAX(id), 0) FROM bans;";
            return (long)command.ExecuteScalar()!;
        });
    }

    /// <summary>Bans stored after <paramref name="afterId"/>, and bans lifted by hand at or after <paramref name="liftedSince"/>, oldest first.</summary>
    public IReadOnlyList<BanRecord> ChangedSince(long afterId, DateTimeOffset liftedSince)
    {
        return Locked(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM bans WHERE id > $id OR unbanned_at >= $since ORDER BY id;";
            command.Parameters.AddWithValue("$id", afterId);
            command.Parameters.AddWithValue("$since", ToUnixMs(liftedSince));
            return ReadBans(command);
        });
    }

    /// <summary>
    /// The bans of networks (not single addresses) in force at <paramref name="now"/>: the few that can nest. A scan
    /// that reads only those rows (a key ending in /32 without ':' or in /128 is an address).
    /// </summary>
    public IReadOnlyList<BanRecord> ActivePrefixes(DateTimeOffset now)
    {
        return Locked(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                $"SELECT {Columns} FROM bans WHERE {OpenCondition} AND NOT ((target LIKE '%/32' AND instr(target, ':') = 0) OR target LIKE '%/128') ORDER BY id;";
            command.Parameters.AddWithValue("$now", ToUnixMs(now));
            return ReadBans(command);
        });
    }
}
