using System.Buffers.Binary;

namespace Tarpit.Tarpits.Ssh;

/// <summary>RFC 4251 §5 data types the server writes: <c>string</c> and <c>mpint</c>.</summary>
internal static class SshWire
{
    public static void WriteString(Stream destination, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)value.Length);
        destination.Write(length);
        destination.Write(value);
    }

    public static void WriteString(Stream destination, string ascii) => WriteString(destination, System.Text.Encoding.ASCII.GetBytes(ascii));

    /// <summary>A positive mpint from its big-endian magnitude: no leading zero bytes, one added when the top bit is set.</summary>
    public static void WriteMpint(Stream destination, ReadOnlySpan<byte> magnitude)
    {
        var start = magnitude.IndexOfAnyExcept((byte)0);
        magnitude = start < 0 ? [] : magnitude[start..];
        if (!magnitude.IsEmpty && magnitude[0] >= 0x80)
        {
            WriteString(destination, [0, .. magnitude]);
        }
        else
        {
            WriteString(destination, magnitude);
        }
    }
}
