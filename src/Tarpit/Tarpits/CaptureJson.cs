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
    public static string Object<TState>(TState state, Action<Utf8JsonWriter, TState> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            members(writer, state);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
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
