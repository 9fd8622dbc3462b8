using System.Net;
using Microsoft.Data.Sqlite;
using Tarpit.Geo;

namespace Tarpit.Store;

internal sealed partial class BanStore
{
    private const string Columns =
        "id, target, source, reason, first_seen, banned_at, expires_at, duration_ms, ban_count, last_hit, unbanned_at, expired_at, " +
        "country_code, country_name, asn, as_org";

    private const string OpenCondition = "unbanned_at IS NULL AND expired_at IS NULL AND (expires_at IS NULL OR expires_at > $now)";

    /// <summary>Every ban that is in force at <paramref name="now"/>, oldest first (by ban time, then row).</summary>
    public IReadOnlyList<BanRecord> Active(DateTimeOffset now)
    {
        // Sorted here: SQLite sorted 100,000 rows of every column in a temporary file.
        var bans = ActiveUnsorted(now);
        bans.Sort(OldestFirst);
        return bans;
    }

    private List<BanRecord> ActiveUnsorted(DateTimeOffset now) =>
        Locked(connection => ReadBansBulk(connection, $"SELECT {Columns} FROM bans WHERE {OpenCondition};", now));

    /// <summary>By ban time, then by row id.</summary>
    private static int OldestFirst(BanRecord a, BanRecord b)
    {
        var byTime = a.BannedAt.CompareTo(b.BannedAt);
        return byTime != 0 ? byTime : a.Id.CompareTo(b.Id);
    }

    /// <summary>The ban of exactly this target in force at <paramref name="now"/>, if any.</summary>
    public BanRecord? FindActive(IPNetwork target, DateTimeOffset now)
    {
        return Locked(connection =>
        {
            var command = Statement($"SELECT {Columns} FROM bans WHERE target = $target AND {OpenCondition} ORDER BY id DESC LIMIT 1;");
            command.Parameters.AddWithValue("$target", Key(target));
            command.Parameters.AddWithValue("$now", ToUnixMs(now));
            return ReadBans(command).FirstOrDefault();
        });
    }

    /// <summary>The highest ban count and the first time seen of this target over its whole history.</summary>
    public (int BanCount, DateTimeOffset? FirstSeen) History(IPNetwork target)
    {
        return Locked(connection =>
        {
            if (CurrentIndex()?.MayHold(target) == false)
            {
                return (0, (DateTimeOffset?)null);
            }

            var command = Statement("SELECT MAX(ban_count), MIN(first_seen) FROM bans WHERE target = $target;");
            command.Parameters.AddWithValue("$target", Key(target));
            using var reader = command.ExecuteReader();
            reader.Read();
            return (reader.IsDBNull(0) ? 0 : reader.GetInt32(0), Time(reader, 1));
        });
    }

    /// <summary>Stores a new ban and returns it with its id.</summary>
    public BanRecord Insert(BanRecord ban)
    {
        ArgumentNullException.ThrowIfNull(ban);
        return Locked(_ =>
        {
            var id = InsertRaw(ban);
            _index?.Add(ban.Target);
            return ban with { Id = id };
        });
    }

    /// <summary>Rewrites a stored ban's mutable fields (expiry, count, reason, hits, end).</summary>
    public void Update(BanRecord ban)
    {
        ArgumentNullException.ThrowIfNull(ban);
        Locked(connection =>
        {
            var command = Statement(
                "UPDATE bans SET source = $source, reason = $reason, banned_at = $banned_at, expires_at = $expires_at, duration_ms = $duration_ms, " +
                "ban_count = $ban_count, last_hit = $last_hit, unbanned_at = $unbanned_at, expired_at = $expired_at, " +
                "country_code = $country_code, country_name = $country_name, asn = $asn, as_org = $as_org WHERE id = $id;");
            Bind(command, ban);
            command.Parameters.AddWithValue("$id", ban.Id);
            return command.ExecuteNonQuery();
        });
    }

    /// <summary>Marks bans whose time is up as expired (kept as history); returns how many.</summary>
    public int MarkExpired(DateTimeOffset now)
    {
        return Locked(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                "UPDATE bans SET expired_at = expires_at WHERE unbanned_at IS NULL AND expired_at IS NULL AND expires_at IS NOT NULL AND expires_at <= $now;";
            command.Parameters.AddWithValue("$now", ToUnixMs(now));
            return command.ExecuteNonQuery();
        });
    }

    private static void Bind(SqliteCommand command, BanRecord ban)
    {
        command.Parameters.AddWithValue("$target", Key(ban.Target));
        command.Parameters.AddWithValue("$source", ban.Source);
        command.Parameters.AddWithValue("$reason", ban.Reason);
        command.Parameters.AddWithValue("$first_seen", ToUnixMs(ban.FirstSeen));
        command.Parameters.AddWithValue("$banned_at", ToUnixMs(ban.BannedAt));
        command.Parameters.AddWithValue("$expires_at", ToDb(ban.ExpiresAt));
        command.Parameters.AddWithValue("$duration_ms", ToDb(ban.Duration));
        command.Parameters.AddWithValue("$ban_count", ban.BanCount);
        command.Parameters.AddWithValue("$last_hit", ToDb(ban.LastHit));
        command.Parameters.AddWithValue("$unbanned_at", ToDb(ban.UnbannedAt));
        command.Parameters.AddWithValue("$expired_at", ToDb(ban.ExpiredAt));
        command.Parameters.AddWithValue("$country_code", (object?)ban.Geo?.CountryCode ?? DBNull.Value);
        command.Parameters.AddWithValue("$country_name", (object?)ban.Geo?.CountryName ?? DBNull.Value);
        command.Parameters.AddWithValue("$asn", (object?)ban.Geo?.Asn ?? DBNull.Value);
        command.Parameters.AddWithValue("$as_org", (object?)ban.Geo?.AsnOrganization ?? DBNull.Value);
    }

    private static List<BanRecord> ReadBans(SqliteCommand command)
    {
        var bans = new List<BanRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            bans.Add(new BanRecord(
                reader.GetInt64(0),
                ParseKey(reader.GetString(1)),
                reader.GetString(2),
                reader.GetString(3),
                Time(reader, 4)!.Value,
                Time(reader, 5)!.Value,
                Time(reader, 6),
                reader.IsDBNull(7) ? null : TimeSpan.FromMilliseconds(reader.GetInt64(7)),
                reader.GetInt32(8),
                Time(reader, 9),
                Time(reader, 10),
                Time(reader, 11),
                ReadGeo(reader, 12)));
        }

        return bans;
    }

    /// <summary>The four geo columns from <paramref name="first"/> on; null when all of them are null.</summary>
    internal static GeoInfo? ReadGeo(SqliteDataReader reader, int first)
    {
        var code = reader.IsDBNull(first) ? null : reader.GetString(first);
        var name = reader.IsDBNull(first + 1) ? null : reader.GetString(first + 1);
        long? asn = reader.IsDBNull(first + 2) ? null : reader.GetInt64(first + 2);
        var org = reader.IsDBNull(first + 3) ? null : reader.GetString(first + 3);
        return code is null && name is null && asn is null && org is null ? null : new GeoInfo(code, name, asn, org);
    }
}
