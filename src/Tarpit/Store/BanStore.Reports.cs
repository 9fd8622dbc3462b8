using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Tarpit.Store;

/// <summary>The AbuseIPDB outbox (<c>report_outbox</c>) and its daily budget (<c>report_budget</c>); the reporter's rules live in Reporting/.</summary>
internal sealed partial class BanStore
{
    private const string ReportColumns =
        "id, address, reason, categories, comment, offence_at, created_at, attempts, next_attempt_at, state";

    /// <summary>Queues a report (one small insert; inside a ban's transaction when called from it); returns its id.</summary>
    public long InsertReport(ReportRow report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Locked(connection =>
        {
            var command = Statement(
                "INSERT INTO report_outbox (address, reason, categories, comment, offence_at, created_at, attempts, next_attempt_at, state) " +
                "VALUES ($address, $reason, $categories, $comment, $offence_at, $created_at, 0, $next, 0) RETURNING id;");
            command.Parameters.AddWithValue("$address", report.Address);
            command.Parameters.AddWithValue("$reason", report.Reason);
            command.Parameters.AddWithValue("$categories", report.Categories);
            command.Parameters.AddWithValue("$comment", report.Comment);
            command.Parameters.AddWithValue("$offence_at", ToUnixMs(report.OffenceAt));
            command.Parameters.AddWithValue("$created_at", ToUnixMs(report.CreatedAt));
            command.Parameters.AddWithValue("$next", ToUnixMs(report.NextAttemptAt));
            return (long)command.ExecuteScalar()!;
        });
    }

    /// <summary>True when a report of <paramref name="address"/> was queued at or after <paramref name="since"/> (whatever became of it).</summary>
    public bool ReportedSince(string address, DateTimeOffset since) => Locked(connection =>
    {
        var command = Statement("SELECT EXISTS (SELECT 1 FROM report_outbox WHERE address = $address AND created_at >= $since);");
        command.Parameters.AddWithValue("$address", address);
        command.Parameters.AddWithValue("$since", ToUnixMs(since));
        return (long)command.ExecuteScalar()! != 0;
    });

    /// <summary>Queued reports due at <paramref name="now"/>, oldest first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<ReportRow> DueReports(DateTimeOffset now, int limit) => Locked(connection =>
    {
        var command = Statement(
            $"SELECT {ReportColumns} FROM report_outbox WHERE state = 0 AND next_attempt_at <= $now ORDER BY next_attempt_at, id LIMIT $limit;");
        command.Parameters.AddWithValue("$now", ToUnixMs(now));
        command.Parameters.AddWithValue("$limit", limit);
        var rows = new List<ReportRow>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(ReadReport(reader));
        }

        return rows;
    });

    /// <summary>When the next queued report is due; null when none is queued.</summary>
    public DateTimeOffset? NextReportDue() => Locked(connection =>
    {
        var command = Statement("SELECT MIN(next_attempt_at) FROM report_outbox WHERE state = 0;");
        return command.ExecuteScalar() is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null;
    });

    /// <summary>A report is done (sent, duplicate, given up or refused), with the HTTP status that decided it (null: none).</summary>
    public void ReportDone(long id, ReportState state, int attempts, int? status, DateTimeOffset now) => Locked(connection =>
    {
        var command = Statement("UPDATE report_outbox SET state = $state, attempts = $attempts, last_status = $status, done_at = $now WHERE id = $id;");
        command.Parameters.AddWithValue("$state", (int)state);
        command.Parameters.AddWithValue("$attempts", attempts);
        command.Parameters.AddWithValue("$status", status is { } s ? s : DBNull.Value);
        command.Parameters.AddWithValue("$now", ToUnixMs(now));
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteNonQuery();
    });

    /// <summary>A report stays queued, to be tried again at <paramref name="next"/>.</summary>
    public void ReportRetry(long id, int attempts, int? status, DateTimeOffset next) => Locked(connection =>
    {
        var command = Statement("UPDATE report_outbox SET attempts = $attempts, last_status = $status, next_attempt_at = $next WHERE id = $id;");
        command.Parameters.AddWithValue("$attempts", attempts);
        command.Parameters.AddWithValue("$status", status is { } s ? s : DBNull.Value);
        command.Parameters.AddWithValue("$next", ToUnixMs(next));
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteNonQuery();
    });

    /// <summary>Counts one request against the UTC day's budget; returns the day's total.</summary>
    public long SpendReportBudget(DateOnly day) => Locked(connection =>
    {
        var command = Statement(
            "INSERT INTO report_budget (day, used) VALUES ($day, 1) ON CONFLICT (day) DO UPDATE SET used = used + 1 RETURNING used;");
        command.Parameters.AddWithValue("$day", Day(day));
        return (long)command.ExecuteScalar()!;
    });

    /// <summary>The outbox by state and the requests made on <paramref name="day"/>.</summary>
    public ReportCounts CountReports(DateOnly day) => Locked(connection =>
    {
        var command = Statement(
            "SELECT COALESCE(SUM(state = 0), 0), COALESCE(SUM(state = 1), 0), COALESCE(SUM(state = 2), 0), COALESCE(SUM(state >= 3), 0), " +
            "(SELECT COALESCE(MAX(used), 0) FROM report_budget WHERE day = $day) FROM report_outbox;");
        command.Parameters.AddWithValue("$day", Day(day));
        using var reader = command.ExecuteReader();
        reader.Read();
        return new ReportCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
    });

    /// <summary>
    /// Deletes at most <paramref name="batch"/> done reports (any state but queued) that were done before
    /// <paramref name="before"/>, and the budget days before it. Queued ones are never
    /// deleted here: the outbox's own bound keeps them in check. Returns the rows deleted.
    /// </summary>
    public int PruneDoneReports(DateTimeOffset before, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        return Locked(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                "DELETE FROM report_outbox WHERE id IN (SELECT id FROM report_outbox WHERE state <> 0 AND done_at < $before LIMIT $batch);" +
                "DELETE FROM report_budget WHERE day < $day;";
            command.Parameters.AddWithValue("$before", ToUnixMs(before));
            command.Parameters.AddWithValue("$batch", batch);
            command.Parameters.AddWithValue("$day", Day(DateOnly.FromDateTime(before.UtcDateTime)));
            return command.ExecuteNonQuery();
        });
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static ReportRow ReadReport(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
        reader.GetInt32(7),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
        (ReportState)reader.GetInt32(9));
}
