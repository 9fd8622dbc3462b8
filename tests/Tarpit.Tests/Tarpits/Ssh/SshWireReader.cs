using System.Buffers.Binary;
using System.Text;

namespace Tarpit.Tests.Tarpits.Ssh;

/// <summary>Parses server bytes back the way a client does (RFC 4253 §4.2, §6, §7.1), independently of the encoder.</summary>
internal sealed class SshWireReader(byte[] bytes)
{
    public int Position { get; private set; }

    public int Remaining => bytes.Length - Position;

    /// <summary>One line without CR LF.</summary>
    public string ReadLine()
    {
        var end = Array.IndexOf(bytes, (byte)'\n', Position);
        Assert.True(end > Position, "no LF-terminated line at " + Position);
        Assert.Equal((byte)'\r', bytes[end - 1]);
        var line = Encoding.ASCII.GetString(bytes, Position, end - 1 - Position);
        Position = end + 1;
        return line;
    }

    /// <summary>One binary packet's payload, checking the RFC 4253 §6 framing rules.</summary>
    public byte[] ReadPacket()
    {
        var packetLength = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(Position));
        var padding = bytes[Position + 4];
        Assert.True(padding >= 4, $"padding {padding} < 4");
        Assert.Equal(0, (packetLength + 4) % 8);
        Assert.True(packetLength + 4 <= Remaining, "truncated packet");
        var payload = bytes.AsSpan(Position + 5, packetLength - padding - 1).ToArray();
        Position += 4 + packetLength;
        return payload;
    }

    public static uint ReadUInt32(byte[] payload, ref int offset)
    {
        var value = BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(offset));
        offset += 4;
        return value;
    }

    public static string[] ReadNameList(byte[] payload, ref int offset)
    {
        var length = (int)ReadUInt32(payload, ref offset);
        var text = Encoding.ASCII.GetString(payload, offset, length);
        offset += length;
        return text.Length == 0 ? [] : text.Split(',');
    }
}
