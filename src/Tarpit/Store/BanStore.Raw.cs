using SQLitePCL;

namespace Tarpit.Store;

/// <summary>
/// The two statements a burst runs once per ban, on SQLite's C API over the shared connection's handle: the insert
/// and <c>PRAGMA data_version</c>. Through Microsoft.Data.Sqlite each execution built a data reader, enumerated the
/// command's statements and bound every parameter by name through a SafeHandle; in a burst of 10,000 offenders these
/// were a tenth of the banning thread (perf: <c>ExecuteScalar</c>, <c>GetStatements</c>, <c>SqliteParameter.Bind</c>).
/// A raw statement is prepared once per connection and reset after each use, and runs in the connection's
/// transaction like any other.
/// </summary>
internal sealed partial class BanStore
{
    private const string InsertSql =
        $"INSERT INTO bans ({Columns}) VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) RETURNING id;";

    private const string DataVersionSql = "PRAGMA data_version;";

    private readonly Dictionary<string, sqlite3_stmt> _rawStatements = new(StringComparer.Ordinal);

    /// <summary>Only inside <see cref="Locked{T}"/>: the new ban's row, its id returned.</summary>
    private long InsertRaw(BanRecord ban)
    {
        var statement = RawStatement(InsertSql);
        try
        {
            BindText(statement, 1, Key(ban.Target));
            BindText(statement, 2, ban.Source);
            BindText(statement, 3, ban.Reason);
            BindInteger(statement, 4, ToUnixMs(ban.FirstSeen));
            BindInteger(statement, 5, ToUnixMs(ban.BannedAt));
            BindInteger(statement, 6, ban.ExpiresAt?.ToUnixTimeMilliseconds());
            BindInteger(statement, 7, ban.Duration is { } d ? (long)d.TotalMilliseconds : null);
            BindInteger(statement, 8, ban.BanCount);
            BindInteger(statement, 9, ban.LastHit?.ToUnixTimeMilliseconds());
            BindInteger(statement, 10, ban.UnbannedAt?.ToUnixTimeMilliseconds());
            BindInteger(statement, 11, ban.ExpiredAt?.ToUnixTimeMilliseconds());
            BindText(statement, 12, ban.Geo?.CountryCode);
            BindText(statement, 13, ban.Geo?.CountryName);
            BindInteger(statement, 14, ban.Geo?.Asn);
            BindText(statement, 15, ban.Geo?.AsnOrganization);
            Check(raw.sqlite3_step(statement), raw.SQLITE_ROW);
            var id = raw.sqlite3_column_int64(statement, 0);
            Check(raw.sqlite3_step(statement), raw.SQLITE_DONE);
            return id;
        }
        finally
        {
            raw.sqlite3_reset(statement);
            raw.sqlite3_clear_bindings(statement);
        }
    }

    /// <summary>Only inside <see cref="Locked{T}"/>: SQLite's <c>PRAGMA data_version</c> on the shared connection.</summary>
    private long DataVersionRaw()
    {
        var statement = RawStatement(DataVersionSql);
        try
        {
            Check(raw.sqlite3_step(statement), raw.SQLITE_ROW);
            return raw.sqlite3_column_int64(statement, 0);
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    private sqlite3_stmt RawStatement(string sql)
    {
        if (!_rawStatements.TryGetValue(sql, out var statement))
        {
            var db = Db();
            Microsoft.Data.Sqlite.SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out statement), db);
            _rawStatements.Add(sql, statement);
        }

        return statement;
    }

    /// <summary>Finalizes the raw statements (the connection they belong to is closing or being replaced).</summary>
    private void ForgetRawStatements()
    {
        foreach (var statement in _rawStatements.Values)
        {
            statement.Dispose();
        }

        _rawStatements.Clear();
    }

    private sqlite3 Db() => _connection.Handle ?? throw new InvalidOperationException("The store's connection is not open.");

    private void Check(int rc, int expected)
    {
        if (rc != expected)
        {
            Microsoft.Data.Sqlite.SqliteException.ThrowExceptionForRC(rc == raw.SQLITE_ROW || rc == raw.SQLITE_DONE ? raw.SQLITE_MISUSE : rc, Db());
        }
    }

    private void BindText(sqlite3_stmt statement, int index, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(statement, index) : raw.sqlite3_bind_text(statement, index, value), raw.SQLITE_OK);

    private void BindInteger(sqlite3_stmt statement, int index, long? value) =>
        Check(value is { } v ? raw.sqlite3_bind_int64(statement, index, v) : raw.sqlite3_bind_null(statement, index), raw.SQLITE_OK);
}
