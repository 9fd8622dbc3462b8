using System.Text.Json;
using Tarpit.Net;

namespace Tarpit.Agent.Listing;

/// <summary>
/// <c>tarpit-agent list --json</c>: a stable array for scripts, newest first. Fields (never renamed; new ones may be
/// added): <c>address</c> (<c>192.0.2.2</c> or <c>192.0.2.0/24</c>), <c>source</c>, <c>reason</c> (escaped),
/// <c>banned_at</c> (ISO 8601 UTC), <c>expires_at</c> (ISO 8601 UTC, null when permanent), <c>expires_in_seconds</c>
/// (null when permanent or over), <c>permanent</c>, <c>active</c>, <c>in_firewall</c> (null when nft could not be
/// asked), <c>ended_at</c> (when it expired or was lifted, else null), <c>ban_count</c>, <c>sessions</c>,
/// <c>time_trapped_seconds</c>, <c>bytes_sent</c>, and from GeoIP at ban time <c>country_code</c> (ISO 3166-1 alpha-2),
/// <c>country_name</c>, <c>asn</c> (number) and <c>as_org</c>, each null when unknown, and <c>held_now</c> (connections
/// the running daemon holds now from the ban's addresses; null when no daemon answers).
/// </summary>
internal static class BanListJson
{
    public static void Write(Stream stream, IReadOnlyList<ListedBan> bans, IReadOnlyDictionary<System.Net.IPAddress, int>? held = null)
    {
        ArgumentNullException.ThrowIfNull(bans);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartArray();
        foreach (var ban in bans)
        {
            var row = ban.Row;
            writer.WriteStartObject();
            writer.WriteString("address", NetworkText.Format(row.Target));
            writer.WriteString("source", row.Source);
            writer.WriteString("reason", row.Reason);
            writer.WriteString("banned_at", row.BannedAt.UtcDateTime);
            JsonFields.Time(writer, "expires_at", row.ExpiresAt);
            if (ban.ExpiresIn is { } left && row.Active)
            {
                writer.WriteNumber("expires_in_seconds", Math.Max(0, (long)left.TotalSeconds));
            }
            else
            {
                writer.WriteNull("expires_in_seconds");
            }

            writer.WriteBoolean("permanent", row.ExpiresAt is null);
            writer.WriteBoolean("active", row.Active);
            if (ban.InFirewall is { } inFirewall)
            {
                writer.WriteBoolean("in_firewall", inFirewall);
            }
            else
            {
                writer.WriteNull("in_firewall");
            }

            JsonFields.Time(writer, "ended_at", row.EndedAt);
            writer.WriteNumber("ban_count", row.BanCount);
            writer.WriteNumber("sessions", row.Sessions);
            writer.WriteNumber("time_trapped_seconds", (long)row.TimeTrapped.TotalSeconds);
            writer.WriteNumber("bytes_sent", row.BytesSent);
            JsonFields.Geo(writer, row.Geo);
            if (held is null)
            {
                writer.WriteNull("held_now");
            }
            else
            {
                writer.WriteNumber("held_now", BanTable.HeldBy(row.Target, held));
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
