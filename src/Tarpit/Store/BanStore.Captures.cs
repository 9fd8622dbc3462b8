using System.Net;
using Microsoft.Data.Sqlite;
using Tarpit.Net;

namespace Tarpit.Store;

/// <summary>Request captures: written by the session writer as they are observed, read by <c>show</c>, pruned with the sessions.</summary>
internal sealed partial class BanStore
{
    /// <summary>Stores captures inside the caller's transaction (<see cref="AddSessions"/>' batch).</summary>
    private static void InsertCaptures(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<CaptureRecord> captures)
    {
        if (captures.Count == 0)
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            "INSERT INTO captures (address, tarpit, protocol, captured_at, connection_started_at, capture) " +
            "VALUES ($address, $tarpit, $protocol, $captured_at, $connection_started_at, $capture);";
        var address = command.Parameters.Add("$address", SqliteType.Text);
        var tarpit = command.Parameters.Add("$tarpit", SqliteType.Text);
        var protocol = command.Parameters.Add("$protocol", SqliteType.Text);
        var capturedAt = command.Parameters.Add("$captured_at", SqliteType.Integer);
        var startedAt = command.Parameters.Add("$connection_started_at", SqliteType.Integer);
        var capture = command.Parameters.Add("$capture", SqliteType.Text);
        foreach (var record in captures)
        {
            address.Value = Networks.Unmap(record.Address).ToString();
            tarpit.Value = record.Tarpit;
            protocol.Value = record.Protocol;
            capturedAt.Value = ToUnixMs(record.CapturedAt);
            startedAt.Value = ToUnixMs(record.ConnectionStartedAt);
            capture.Value = record.Capture;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Stores captures in one transaction.</summary>
    public void AddCaptures(IReadOnlyList<CaptureRecord> captures) => AddSessions([], captures);

    /// <summary>The address's latest captures, newest first, at most <paramref name="limit"/>, and how many it has.</summary>
    public (IReadOnlyList<CaptureRecord> Latest, int Count) CapturesOf(IPAddress address, int limit)
    {
        ArgumentNullException.ThrowIfNull(address);
        var key = Networks.Unmap(address).ToString();
        return Locked(connection =>
        {
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM captures WHERE address = $address;";
            count.Parameters.AddWithValue("$address", key);
            var total = Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            using var latest = connection.CreateCommand();
            latest.CommandText =
                "SELECT tarpit, protocol, captured_at, connection_started_at, capture FROM captures " +
                "WHERE address = $address ORDER BY captured_at DESC, id DESC LIMIT $limit;";
            latest.Parameters.AddWithValue("$address", key);
            latest.Parameters.AddWithValue("$limit", limit);
            var captures = new List<CaptureRecord>();
            using var reader = latest.ExecuteReader();
            while (reader.Read())
            {
                captures.Add(new CaptureRecord(
                    address,
                    reader.GetString(0),
                    reader.GetString(1),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                    reader.GetString(4)));
            }

            return ((IReadOnlyList<CaptureRecord>)captures, total);
        });
    }

    /// <summary>
    /// Deletes at most <paramref name="batch"/> captures taken before <paramref name="before"/>, oldest first; returns
    /// how many. The sessions' retention calls it with their cut-off: a capture is taken before its session ends, so it
    /// never outlives its session.
    /// </summary>
    public int PruneCaptures(DateTimeOffset before, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        return Locked(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                "DELETE FROM captures WHERE id IN (SELECT id FROM captures WHERE captured_at < $before ORDER BY captured_at LIMIT $batch);";
            command.Parameters.AddWithValue("$before", ToUnixMs(before));
            command.Parameters.AddWithValue("$batch", batch);
            return command.ExecuteNonQuery();
        });
    }
}
