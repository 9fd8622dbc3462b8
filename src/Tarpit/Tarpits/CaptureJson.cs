using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Tarpit.Tarpits;

/// <summary>
/// Composes one capture (<see cref="CaptureKeys"/>) as a compact JSON object. Every string written must already be
/// escaped with <c>AttackerText.Escape</c> (printable ASCII); the writer then only adds JSON's own escapes.
/// </summary>
internal static class CaptureJson
{
    /// <summary>
    /// The writer and its buffer, one per thread and reused (captures are composed on the scheduler thread, one per
    /// HTTP request, ClientHello and SSH identification): a new writer and a growing buffer per capture were ~5 KB of
    /// garbage per request, most of what a held HTTP client's accept allocated (issue 16). Only the string is new.
    /// </summary>
    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? ThreadWriter;

    public static string Object<TState>(TState state, Action<Utf8JsonWriter, TState> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var (buffer, writer) = ThreadWriter ??= NewWriter();
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        try
        {
            writer.WriteStartObject();
            members(writer, state);
            writer.WriteEndObject();
            writer.Flush();
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            writer.Reset(NoBuffer);
            if (buffer.Capacity > MaxKeptBuffer)
            {
                ThreadWriter = null; // a rare big capture's buffer is not kept for the thread's life
            }
        }
    }

    /// <summary>The buffer kept between captures: a typical request's capture (a few hundred bytes) fits.</summary>
    private const int MaxKeptBuffer = 4096;

    private static readonly ArrayBufferWriter<byte> NoBuffer = new(1);

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewWriter()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        return (buffer, new Utf8JsonWriter(buffer));
    }

    /// <summary>A string member, or null when absent.</summary>
    public static void StringOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
