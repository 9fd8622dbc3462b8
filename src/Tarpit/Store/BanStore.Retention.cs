namespace Tarpit.Store;

internal sealed partial class BanStore
{
    /// <summary>
    /// Deletes at most <paramref name="batch"/> sessions that ended before <paramref name="endedBefore"/>, oldest
    /// first, in one short transaction; returns how many. Call again until it returns less than the batch.
    /// </summary>
    public int PruneSessions(DateTimeOffset endedBefore, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        return Locked(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                "DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE ended_at < $before ORDER BY ended_at LIMIT $batch);";
            command.Parameters.AddWithValue("$before", ToUnixMs(endedBefore));
            command.Parameters.AddWithValue("$batch", batch);
            var deleted = command.ExecuteNonQuery();
            if (deleted > 0)
            {
                IndexInvalidated();
            }

            return deleted;
        });
    }

    /// <summary>
    /// Deletes at most <paramref name="batch"/> bans that ended (lifted, or run out) before
    /// <paramref name="endedBefore"/>; returns how many. A ban in force is never deleted, whatever its age: a permanent
    /// one, or one whose expiry is still ahead. Escalation counts the address's highest stored ban number, which its
    /// latest ban holds, so an address is escalated as long as its latest ban ended within the retention.
    /// </summary>
    public int PruneEndedBans(DateTimeOffset endedBefore, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        return Locked(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                "DELETE FROM bans WHERE id IN (SELECT id FROM bans " +
                "WHERE COALESCE(unbanned_at, expired_at, expires_at) IS NOT NULL AND COALESCE(unbanned_at, expired_at, expires_at) < $before " +
                "LIMIT $batch);";
            command.Parameters.AddWithValue("$before", ToUnixMs(endedBefore));
            command.Parameters.AddWithValue("$batch", batch);
            var deleted = command.ExecuteNonQuery();
            if (deleted > 0)
            {
                IndexInvalidated();
            }

            return deleted;
        });
    }

    /// <summary>Rows in the sessions table (tests, and the retention's log line).</summary>
    public long SessionCount() => Locked(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sessions;";
        return (long)command.ExecuteScalar()!;
    });
}
