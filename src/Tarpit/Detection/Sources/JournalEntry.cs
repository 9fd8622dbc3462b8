using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Tarpit.Detection.Sources;

/// <summary>
/// The fields detection needs from one line of <c>journalctl -o json</c>. <c>MESSAGE</c> is a JSON string, or an
/// array of byte values when it is not valid UTF-8 (or contains control bytes), or null; times are microseconds since
/// the epoch as decimal strings (<c>_SOURCE_REALTIME_TIMESTAMP</c> when the sender gave one, else <c>__REALTIME_TIMESTAMP</c>).
/// </summary>
/// <param name="MessageBytes">The length of <c>MESSAGE</c> in bytes as journald holds it (UTF-8, or the byte array).</param>
/// <param name="LineBreak">journald's <c>_LINE_BREAK</c>: why a stdout record ended without a newline, if it did.</param>
/// <param name="Program"><c>SYSLOG_IDENTIFIER</c>, else <c>_COMM</c> (systemd.journal-fields(7)): <c>sshd</c>, <c>sshd-session</c>.</param>
/// <param name="Pid"><c>SYSLOG_PID</c>, else <c>_PID</c>, or 0: the sshd process a connection's lines share.</param>
internal sealed record JournalEntry(string Message, string? Program, DateTimeOffset Timestamp, string? Cursor, int MessageBytes = 0, string? LineBreak = null, int Pid = 0)
{
    /// <summary>The longest message judged: the bound a log file's lines have (<see cref="LineSplitter.DefaultMaxLineBytes"/>).</summary>
    public const int MaxMessageBytes = LineSplitter.DefaultMaxLineBytes;

    /// <summary>
    /// systemd.journal-fields(7): <c>_LINE_BREAK=line-max</c> marks a stdout record journald cut at its <c>LineMax</c>
    /// (journald.conf(5)), the rest of the line following as the next record.
    /// </summary>
    public const string LineMaxBreak = "line-max";

    /// <summary>
    /// True when the message is not a whole line: longer than <see cref="MaxMessageBytes"/>, or cut by journald
    /// itself. A cut message is never judged: its writer could choose where it ends.
    /// </summary>
    public bool IsCut => MessageBytes > MaxMessageBytes || LineBreak == LineMaxBreak;

    public static bool TryParse(ReadOnlySpan<byte> json, out JournalEntry? entry)
    {
        entry = null;
        string? message = null;
        var messageBytes = 0;
        string? lineBreak = null;
        string? program = null;
        string? comm = null;
        int? syslogPid = null;
        int? pid = null;
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
                    message = ReadMessage(ref reader, out messageBytes);
                }
                else if (name.SequenceEqual("SYSLOG_IDENTIFIER"u8) && reader.TokenType == JsonTokenType.String)
                {
                    program = reader.GetString();
                }
                else if (name.SequenceEqual("_COMM"u8) && reader.TokenType == JsonTokenType.String)
                {
                    comm = reader.GetString();
                }
                else if (name.SequenceEqual("SYSLOG_PID"u8))
                {
                    syslogPid = ReadPid(ref reader);
                }
                else if (name.SequenceEqual("_PID"u8))
                {
                    pid = ReadPid(ref reader);
                }
                else if (name.SequenceEqual("_LINE_BREAK"u8) && reader.TokenType == JsonTokenType.String)
                {
                    lineBreak = reader.GetString();
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

        entry = new JournalEntry(message, program ?? comm, DateTimeOffset.UnixEpoch.AddTicks(microseconds * 10), cursor, messageBytes, lineBreak, syslogPid ?? pid ?? 0);
        return true;
    }

    private static string? ReadMessage(ref Utf8JsonReader reader, out int byteCount)
    {
        byteCount = 0;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                var text = reader.GetString();
                byteCount = text is null ? 0 : Encoding.UTF8.GetByteCount(text);
                return text;
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

                byteCount = bytes.Count;
                return reader.TokenType == JsonTokenType.EndArray ? Encoding.UTF8.GetString([.. bytes]) : null;
            default:
                reader.Skip();
                return null;
        }
    }

    private static int? ReadPid(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String
        && int.TryParse(reader.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : null;

    private static long? ReadMicroseconds(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String
        && long.TryParse(reader.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
