using System.Text.Json;
using Tarpit.Agent.Control;
using Tarpit.Net;

namespace Tarpit.Agent.Listing;

/// <summary>
/// <c>tarpit-agent show ADDR --json</c>: one object for scripts. Fields (never renamed; new ones may be added):
/// <c>address</c>; from GeoIP <c>country_code</c>, <c>country_name</c>, <c>asn</c>, <c>as_org</c> (null when unknown);
/// <c>bans</c> (each <c>target</c>, <c>source</c>, <c>reason</c>, <c>banned_at</c>, <c>expires_at</c>, <c>active</c>,
/// <c>ban_count</c>); <c>held_now</c> (the connections the daemon holds from it now, each <c>tarpit</c>, <c>mode</c>,
/// <c>held_seconds</c>, <c>bytes_sent</c>, <c>first_bytes</c>; null when no daemon answers); <c>sessions</c>
/// (<c>count</c>, <c>held_seconds</c>, <c>bytes_sent</c> of all, <c>latest</c>: each <c>tarpit</c>, <c>mode</c>,
/// <c>started_at</c>, <c>ended_at</c>, <c>bytes_sent</c>, <c>verified</c>, <c>original_port</c>, <c>first_bytes</c>);
/// <c>captures</c> (<c>count</c>, <c>latest</c>: each <c>tarpit</c>, <c>protocol</c>, <c>captured_at</c>,
/// <c>connection_started_at</c> and <c>capture</c>, the object the tarpit composed: for http <c>request</c>,
/// <c>method</c>, <c>target</c>, <c>version</c>, <c>host</c>, <c>user_agent</c>, <c>content_length</c>,
/// <c>headers_seen</c>, <c>headers</c> [{<c>name</c>, <c>value</c>}]; for tls <c>sni</c>, <c>alpn</c>,
/// <c>versions</c>, <c>ja4</c>; for ssh <c>identification</c>, <c>protocol</c>, <c>software</c>, <c>comments</c>).
/// Times are ISO 8601 UTC; every string the client sent was escaped by the tarpit.
/// </summary>
internal static class ShowJson
{
    public static void Write(Stream stream, ShowData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("address", data.Address.ToString());
        JsonFields.Geo(writer, data.Geo);
        writer.WriteStartArray("bans");
        foreach (var ban in data.Bans)
        {
            var row = ban.Row;
            writer.WriteStartObject();
            writer.WriteString("target", NetworkText.Format(row.Target));
            writer.WriteString("source", row.Source);
            writer.WriteString("reason", row.Reason);
            writer.WriteString("banned_at", row.BannedAt.UtcDateTime);
            JsonFields.Time(writer, "expires_at", row.ExpiresAt);
            writer.WriteBoolean("active", row.Active);
            writer.WriteNumber("ban_count", row.BanCount);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteHeld(writer, data.HeldNow);
        writer.WriteStartObject("sessions");
        writer.WriteNumber("count", data.SessionCount);
        writer.WriteNumber("held_seconds", (long)data.Held.TotalSeconds);
        writer.WriteNumber("bytes_sent", data.Bytes);
        writer.WriteStartArray("latest");
        foreach (var s in data.Sessions)
        {
            writer.WriteStartObject();
            writer.WriteString("tarpit", s.Tarpit);
            writer.WriteString("mode", s.Mode);
            writer.WriteString("started_at", s.StartedAt.UtcDateTime);
            writer.WriteString("ended_at", s.EndedAt.UtcDateTime);
            writer.WriteNumber("bytes_sent", s.BytesSent);
            writer.WriteBoolean("verified", s.Verified);
            if (s.OriginalPort is { } port)
            {
                writer.WriteNumber("original_port", port);
            }
            else
            {
                writer.WriteNull("original_port");
            }

            JsonFields.Text(writer, "first_bytes", s.FirstBytes);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteStartObject("captures");
        writer.WriteNumber("count", data.CaptureCount);
        writer.WriteStartArray("latest");
        foreach (var c in data.Captures)
        {
            writer.WriteStartObject();
            writer.WriteString("tarpit", c.Tarpit);
            writer.WriteString("protocol", c.Protocol);
            writer.WriteString("captured_at", c.CapturedAt.UtcDateTime);
            writer.WriteString("connection_started_at", c.ConnectionStartedAt.UtcDateTime);
            writer.WritePropertyName("capture");
            WriteCapture(writer, c.Capture);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>The stored object as JSON; a row that is not JSON (a damaged file) as an escaped string.</summary>
    private static void WriteCapture(Utf8JsonWriter writer, string capture)
    {
        try
        {
            using var document = JsonDocument.Parse(capture);
            document.RootElement.WriteTo(writer);
        }
        catch (JsonException)
        {
            writer.WriteStringValue(Tarpit.Text.AttackerText.Escape(capture, CaptureText.MaxLineLength));
        }
    }

    private static void WriteHeld(Utf8JsonWriter writer, IReadOnlyList<SessionReport>? held)
    {
        if (held is null)
        {
            writer.WriteNull("held_now");
            return;
        }

        writer.WriteStartArray("held_now");
        foreach (var s in held)
        {
            writer.WriteStartObject();
            writer.WriteString("tarpit", s.Tarpit);
            writer.WriteString("mode", s.Mode);
            writer.WriteNumber("held_seconds", (long)s.HeldSeconds);
            writer.WriteNumber("bytes_sent", s.BytesSent);
            JsonFields.Text(writer, "first_bytes", s.FirstBytes);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
