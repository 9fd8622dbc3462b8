using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Tarpit.Detection.Sources;

/// <summary>
/// The fields detection needs from one line of <c>journalctl -o json</c>. <c>MESSAGE</c> is a JSON string, or an
/// array of byte values when it is not valid UTF-8 (or contains control bytes), or null; times are microseconds since
/// the epoch as decimal strings (<c>_SOURCE_REALTIME_TIMESTAMP</c> when the sender gave one, else <c>__REALTIME_TIMESTAMP</c>).
/// </summary>
internal sealed record JournalEntry(string Message, string? Program, DateTimeOffset Timestamp, string? Cursor)
{
    public static bool TryParse(ReadOnlySpan<byte> json, out JournalEntry? entry)
    {
        entry = null;
        string? message = null;
        string? program = null;
        string? cursor = null;
        long? source = null;
        long? realtime = null;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                if (!reader.Read())
                {
                    return false;
                }

                if (name.SequenceEqual("MESSAGE"u8))
                {
                    message = ReadMessage(ref reader);
                }
                else if (name.SequenceEqual("SYSLOG_IDENTIFIER"u8) && reader.TokenType == JsonTokenType.String)
                {
                    program = reader.GetString();
                }
                else if (name.SequenceEqual("__CURSOR"u8) && reader.TokenType == JsonTokenType.String)
                {
                    cursor = reader.GetString();
                }
                else if (name.SequenceEqual("_SOURCE_REALTIME_TIMESTAMP"u8))
                {
                    source = ReadMicroseconds(ref reader);
                }
                else if (name.SequenceEqual("__REALTIME_TIMESTAMP"u8))
                {
                    realtime = ReadMicroseconds(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        if (message is null || (source ?? realtime) is not { } microseconds
            || microseconds < 0 || microseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() * 1000)
        {
            return false;
        }

        entry = new JournalEntry(message, program, DateTimeOffset.UnixEpoch.AddTicks(microseconds * 10), cursor);
        return true;
    }

    private static string? ReadMessage(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.StartArray:
                var bytes = new List<byte>();
                while (reader.Read() && reader.TokenType == JsonTokenType.Number)
                {
                    if (!reader.TryGetByte(out var b))
                    {
                        return null;
                    }

                    bytes.Add(b);
                }

                return reader.TokenType == JsonTokenType.EndArray ? Encoding.UTF8.GetString([.. bytes]) : null;
            default:
                reader.Skip();
                return null;
        }
    }

    private static long? ReadMicroseconds(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String
        && long.TryParse(reader.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
