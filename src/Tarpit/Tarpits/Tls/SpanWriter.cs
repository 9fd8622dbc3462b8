namespace Tarpit.Tarpits.Tls;

/// <summary>Writes big-endian TLS structures into a fixed span.</summary>
internal ref struct SpanWriter(Span<byte> destination)
{
    private readonly Span<byte> destination = destination;

    public int Position { get; set; }

    public void UInt8(byte value) => destination[Position++] = value;

    public void UInt16(ushort value)
    {
        destination[Position++] = (byte)(value >> 8);
        destination[Position++] = (byte)value;
    }

    public void UInt24(int value)
    {
        destination[Position++] = (byte)(value >> 16);
        destination[Position++] = (byte)(value >> 8);
        destination[Position++] = (byte)value;
    }

    public void Bytes(scoped ReadOnlySpan<byte> value)
    {
        value.CopyTo(destination[Position..]);
        Position += value.Length;
    }

    public void Skip(int count) => Position += count;

    public Span<byte> Take(int count)
    {
        var taken = destination.Slice(Position, count);
        Position += count;
        return taken;
    }
}
