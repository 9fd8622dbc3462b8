using Microsoft.Data.Sqlite;

namespace Tarpit.Store;

/// <summary>
/// The database schema as an ordered list of migrations; <c>PRAGMA user_version</c> is the number applied. A new
/// version appends a migration, never edits one. Times are Unix milliseconds (UTC).
/// </summary>
internal static class StoreSchema
{
    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE bans (
            id INTEGER PRIMARY KEY,
            target TEXT NOT NULL,
            source TEXT NOT NULL,
            reason TEXT NOT NULL,
            first_seen INTEGER NOT NULL,
            banned_at INTEGER NOT NULL,
            expires_at INTEGER NULL,
            duration_ms INTEGER NULL,
            ban_count INTEGER NOT NULL,
            last_hit INTEGER NULL,
            unbanned_at INTEGER NULL,
            expired_at INTEGER NULL,
            country_code TEXT NULL,
            country_name TEXT NULL,
            asn INTEGER NULL,
            as_org TEXT NULL
        );
        CREATE INDEX bans_target ON bans (target);
        CREATE INDEX bans_open ON bans (unbanned_at, expired_at);
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            address TEXT NOT NULL,
            tarpit TEXT NOT NULL,
            mode TEXT NOT NULL,
            original_port INTEGER NULL,
            started_at INTEGER NOT NULL,
            ended_at INTEGER NOT NULL,
            bytes_sent INTEGER NOT NULL,
            verified INTEGER NOT NULL,
            first_bytes TEXT NULL
        );
        CREATE INDEX sessions_address ON sessions (address);
        """,
        """
        ALTER TABLE sessions ADD COLUMN country_code TEXT NULL;
        ALTER TABLE sessions ADD COLUMN asn INTEGER NULL;
        """,
        // Retention deletes sessions by end time in small batches: each batch finds its rows through this index.
        """
        CREATE INDEX sessions_ended ON sessions (ended_at);
        """,
        // The AbuseIPDB outbox (Reporting/): written only with IF NOT EXISTS, so its place among the migrations of
        // other branches does not matter. state: 0 queued, 1 sent, 2 duplicate (422), 3 given up, 4 refused (4xx).
        """
        CREATE TABLE IF NOT EXISTS report_outbox (
            id INTEGER PRIMARY KEY,
            address TEXT NOT NULL,
            reason TEXT NOT NULL,
            categories TEXT NOT NULL,
            comment TEXT NOT NULL,
            offence_at INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            state INTEGER NOT NULL,
            done_at INTEGER NULL,
            last_status INTEGER NULL
        );
        CREATE INDEX IF NOT EXISTS report_outbox_due ON report_outbox (state, next_attempt_at);
        CREATE INDEX IF NOT EXISTS report_outbox_address ON report_outbox (address, created_at);
        CREATE TABLE IF NOT EXISTS report_budget (
            day TEXT PRIMARY KEY,
            used INTEGER NOT NULL
        );
        """,
        // Request captures (issue 19 §2): one row per captured HTTP request, TLS ClientHello or SSH identification, a
        // JSON object of escaped text (Tarpits/CaptureKeys). Written only with IF NOT EXISTS, like the outbox above.
        // Retention prunes them with the sessions, by capture time (captures_at), which is never after their session's end.
        """
        CREATE TABLE IF NOT EXISTS captures (
            id INTEGER PRIMARY KEY,
            address TEXT NOT NULL,
            tarpit TEXT NOT NULL,
            protocol TEXT NOT NULL,
            captured_at INTEGER NOT NULL,
            connection_started_at INTEGER NOT NULL,
            capture TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS captures_address ON captures (address, captured_at);
        CREATE INDEX IF NOT EXISTS captures_at ON captures (captured_at);
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    /// <summary>Applies the migrations the database lacks, each in its own transaction with its version bump.</summary>
    public static void Migrate(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var version = Version(connection);
        if (version > LatestVersion)
        {
            throw new OperatorException(
                $"The state database '{connection.DataSource}' has schema version {version}, newer than this agent's {LatestVersion}. Upgrade tarpit-agent, or move the database aside.");
        }

        for (var next = version; next < LatestVersion; next++)
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Migrations[next] + $"\nPRAGMA user_version = {next + 1};";
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    public static int Version(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
