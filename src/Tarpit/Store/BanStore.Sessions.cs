using System.Net;
using Tarpit.Net;

namespace Tarpit.Store;

internal sealed partial class BanStore
{
    /// <summary>Stores finished sessions, and the captures observed (<see cref="CaptureRecord"/>), in one transaction.</summary>
    public void AddSessions(IReadOnlyList<SessionRecord> sessions, IReadOnlyList<CaptureRecord>? captures = null)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        captures ??= [];
        if (sessions.Count == 0 && captures.Count == 0)
        {
            return;
        }

        Locked(connection =>
        {
            using var transaction = connection.BeginTransaction();
            InsertCaptures(connection, transaction, captures);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText =
                "INSERT INTO sessions (address, tarpit, mode, original_port, started_at, ended_at, bytes_sent, verified, first_bytes, country_code, asn) " +
                "VALUES ($address, $tarpit, $mode, $original_port, $started_at, $ended_at, $bytes_sent, $verified, $first_bytes, $country_code, $asn);";
            var address = command.Parameters.Add("$address", Microsoft.Data.Sqlite.SqliteType.Text);
            var tarpit = command.Parameters.Add("$tarpit", Microsoft.Data.Sqlite.SqliteType.Text);
            var mode = command.Parameters.Add("$mode", Microsoft.Data.Sqlite.SqliteType.Text);
            var originalPort = command.Parameters.Add("$original_port", Microsoft.Data.Sqlite.SqliteType.Integer);
            var startedAt = command.Parameters.Add("$started_at", Microsoft.Data.Sqlite.SqliteType.Integer);
            var endedAt = command.Parameters.Add("$ended_at", Microsoft.Data.Sqlite.SqliteType.Integer);
            var bytesSent = command.Parameters.Add("$bytes_sent", Microsoft.Data.Sqlite.SqliteType.Integer);
            var verified = command.Parameters.Add("$verified", Microsoft.Data.Sqlite.SqliteType.Integer);
            var firstBytes = command.Parameters.Add("$first_bytes", Microsoft.Data.Sqlite.SqliteType.Text);
            var countryCode = command.Parameters.Add("$country_code", Microsoft.Data.Sqlite.SqliteType.Text);
            var asn = command.Parameters.Add("$asn", Microsoft.Data.Sqlite.SqliteType.Integer);
            foreach (var session in sessions)
            {
                address.Value = Networks.Unmap(session.Address).ToString();
                tarpit.Value = session.Tarpit;
                mode.Value = session.Mode;
                originalPort.Value = session.OriginalPort is { } port ? port : DBNull.Value;
                startedAt.Value = ToUnixMs(session.StartedAt);
                endedAt.Value = ToUnixMs(session.EndedAt);
                bytesSent.Value = session.BytesSent;
                verified.Value = session.Verified ? 1 : 0;
                firstBytes.Value = (object?)session.FirstBytes ?? DBNull.Value;
                countryCode.Value = (object?)session.CountryCode ?? DBNull.Value;
                asn.Value = (object?)session.Asn ?? DBNull.Value;
                command.ExecuteNonQuery();
            }

            transaction.Commit();
            return sessions.Count;
        });
    }

    /// <summary>
    /// Bans for <c>tarpit-agent list</c>, newest first, each with the sessions of the addresses it covers: the ones
    /// in force, or with <paramref name="all"/> the whole history.
    /// </summary>
    public IReadOnlyList<BanListRow> List(bool all, DateTimeOffset now)
    {
        var sessions = SessionTotals();
        var byAddress = new Dictionary<IPAddress, (IPAddress Address, int Count, long TrappedMs, long Bytes)>();
        foreach (var total in sessions)
        {
            byAddress[total.Address] = byAddress.TryGetValue(total.Address, out var seen)
                ? (total.Address, seen.Count + total.Count, seen.TrappedMs + total.TrappedMs, seen.Bytes + total.Bytes)
                : total;
        }

        var newestFirst = all ? AllBans() : ActiveUnsorted(now);
        newestFirst.Sort((a, b) => OldestFirst(b, a));
        var rows = new List<BanListRow>(newestFirst.Count);
        foreach (var ban in newestFirst)
        {
            // An address ban looks its totals up; only a network ban scans them (100,000 bans × their addresses was
            // minutes of list).
            var (count, trappedMs, bytes) = Networks.IsHost(ban.Target)
                ? byAddress.TryGetValue(ban.Target.BaseAddress, out var own) ? (own.Count, own.TrappedMs, own.Bytes) : (0, 0L, 0L)
                : Covered(sessions, ban.Target);
            rows.Add(new BanListRow(
                ban.Target,
                ban.Source,
                ban.Reason,
                ban.BannedAt,
                ban.ExpiresAt,
                ban.BanCount,
                ban.IsActive(now),
                ban.UnbannedAt ?? ban.ExpiredAt ?? (ban.ExpiresAt <= now ? ban.ExpiresAt : null),
                count,
                TimeSpan.FromMilliseconds(trappedMs),
                bytes,
                ban.Geo));
        }

        return rows;
    }

    /// <summary>The session totals of the addresses inside a network ban.</summary>
    private static (int Count, long TrappedMs, long Bytes) Covered(List<(IPAddress Address, int Count, long TrappedMs, long Bytes)> sessions, IPNetwork target)
    {
        var (count, trappedMs, bytes) = (0, 0L, 0L);
        foreach (var session in sessions)
        {
            if (target.Contains(session.Address))
            {
                (count, trappedMs, bytes) = (count + session.Count, trappedMs + session.TrappedMs, bytes + session.Bytes);
            }
        }

        return (count, trappedMs, bytes);
    }

    private List<BanRecord> AllBans() => Locked(connection => ReadBansBulk(connection, $"SELECT {Columns} FROM bans;", now: null));

    private List<(IPAddress Address, int Count, long TrappedMs, long Bytes)> SessionTotals()
    {
        return Locked(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT address, COUNT(*), SUM(ended_at - started_at), SUM(bytes_sent) FROM sessions GROUP BY address;";
            using var reader = command.ExecuteReader();
            var totals = new List<(IPAddress, int, long, long)>();
            while (reader.Read())
            {
                if (NetworkText.TryParseAddress(reader.GetString(0), out var address) == AddressProblem.None)
                {
                    totals.Add((address, reader.GetInt32(1), reader.GetInt64(2), reader.GetInt64(3)));
                }
            }

            return totals;
        });
    }
}
