using Microsoft.Data.Sqlite;
using SQLitePCL;
using Tarpit.Geo;

namespace Tarpit.Store;

/// <summary>
/// Reads many bans at once (the restore at start, <c>list</c>) through SQLite's C API on the shared connection's
/// handle. Microsoft.Data.Sqlite checks for NULL before every typed read (its <c>IsDBNull</c> is three native calls,
/// each through a SafeHandle), so 100,000 rows of 16 columns were ~9 million native calls and the largest part of
/// <c>list</c>; here a column costs one call and a nullable one two. Same columns and order as <see cref="ReadBans"/>.
/// </summary>
internal sealed partial class BanStore
{
    /// <summary>The rows of <paramref name="sql"/> (the columns of <see cref="Columns"/>), <c>$now</c> bound when given.</summary>
    private static List<BanRecord> ReadBansBulk(SqliteConnection connection, string sql, DateTimeOffset? now)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The store's connection is not open.");
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out sqlite3_stmt statement), db);
        using (statement)
        {
            if (now is { } at)
            {
                SqliteException.ThrowExceptionForRC(
                    raw.sqlite3_bind_int64(statement, raw.sqlite3_bind_parameter_index(statement, "$now"), ToUnixMs(at)), db);
            }

            var bans = new List<BanRecord>();
            int rc;
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                bans.Add(new BanRecord(
                    raw.sqlite3_column_int64(statement, 0),
                    ParseKey(Text(statement, 1)!),
                    Text(statement, 2)!,
                    Text(statement, 3)!,
                    Time(statement, 4)!.Value,
                    Time(statement, 5)!.Value,
                    Time(statement, 6),
                    Integer(statement, 7) is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
                    raw.sqlite3_column_int(statement, 8),
                    Time(statement, 9),
                    Time(statement, 10),
                    Time(statement, 11),
                    Geo(statement, 12)));
            }

            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, db);
            }

            return bans;
        }
    }

    private static bool IsNull(sqlite3_stmt statement, int column) => raw.sqlite3_column_type(statement, column) == raw.SQLITE_NULL;

    private static string? Text(sqlite3_stmt statement, int column) =>
        IsNull(statement, column) ? null : raw.sqlite3_column_text(statement, column).utf8_to_string();

    private static long? Integer(sqlite3_stmt statement, int column) =>
        IsNull(statement, column) ? null : raw.sqlite3_column_int64(statement, column);

    private static DateTimeOffset? Time(sqlite3_stmt statement, int column) =>
        Integer(statement, column) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>The four geo columns from <paramref name="first"/> on, as <see cref="ReadGeo"/> reads them.</summary>
    private static GeoInfo? Geo(sqlite3_stmt statement, int first)
    {
        var code = Text(statement, first);
        var name = Text(statement, first + 1);
        var asn = Integer(statement, first + 2);
        var org = Text(statement, first + 3);
        return code is null && name is null && asn is null && org is null ? null : new GeoInfo(code, name, asn, org);
    }
}
