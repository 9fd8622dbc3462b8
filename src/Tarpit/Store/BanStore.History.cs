using System.Net;
using Tarpit.Net;

namespace Tarpit.Store;

/// <summary>One address's history for <c>tarpit-agent show ADDR</c>: its finished sessions and their totals.</summary>
internal sealed partial class BanStore
{
    /// <summary>
    /// The last <paramref name="limit"/> finished sessions of <paramref name="address"/>, newest first, and the count,
    /// time held and bytes of all of them (the <c>sessions_address</c> index finds them).
    /// </summary>
    public (IReadOnlyList<SessionRecord> Latest, int Count, TimeSpan Held, long Bytes) SessionsOf(IPAddress address, int limit)
    {
        ArgumentNullException.ThrowIfNull(address);
        var key = Networks.Unmap(address).ToString();
        return Locked(connection =>
        {
            using var totals = connection.CreateCommand();
            totals.CommandText = "SELECT COUNT(*), COALESCE(SUM(ended_at - started_at), 0), COALESCE(SUM(bytes_sent), 0) FROM sessions WHERE address = $address;";
            totals.Parameters.AddWithValue("$address", key);
            int count;
            long heldMs, bytes;
            using (var reader = totals.ExecuteReader())
            {
                reader.Read();
                (count, heldMs, bytes) = (reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2));
            }

            using var latest = connection.CreateCommand();
            latest.CommandText =
                "SELECT tarpit, mode, original_port, started_at, ended_at, bytes_sent, verified, first_bytes, country_code, asn " +
                "FROM sessions WHERE address = $address ORDER BY started_at DESC, id DESC LIMIT $limit;";
            latest.Parameters.AddWithValue("$address", key);
            latest.Parameters.AddWithValue("$limit", limit);
            var sessions = new List<SessionRecord>();
            using (var reader = latest.ExecuteReader())
            {
                while (reader.Read())
                {
                    sessions.Add(new SessionRecord(
                        address,
                        reader.GetString(0),
                        reader.GetString(1),
                        reader.IsDBNull(2) ? null : reader.GetInt32(2),
                        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                        reader.GetInt64(5),
                        reader.GetInt64(6) != 0,
                        reader.IsDBNull(7) ? null : reader.GetString(7),
                        reader.IsDBNull(8) ? null : reader.GetString(8),
                        reader.IsDBNull(9) ? null : reader.GetInt64(9)));
                }
            }

            return ((IReadOnlyList<SessionRecord>)sessions, count, TimeSpan.FromMilliseconds(heldMs), bytes);
        });
    }
}
