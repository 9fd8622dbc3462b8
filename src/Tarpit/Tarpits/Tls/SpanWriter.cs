namespace Tarpit.Tarpits.Tls;

/// <summary>Writes big-endian TLS structures into a fixed span.</summary>
internal ref struct SpanWriter(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;

    public int Position { get; set; }

    public void UInt8(byte value) => _destination[Position++] = value;

    public void UInt16(ushort value)
    {
        _destination[Position++] = (byte)(value >> 8);
        _destination[Position++] = (byte)value;
    }

    public void UInt24(int value)
    {
        _destination[Position++] = (byte)(value >> 16);
        _destination[Position++] = (byte)(value >> 8);
        _destination[Position++] = (byte)value;
    }

    public void Bytes(scoped ReadOnlySpan<byte> value)
    {
        value.CopyTo(_destination[Position..]);
        Position += value.Length;
    }

    public void Skip(int count) => Position += count;

    public Span<byte> Take(int count)
    {
        var taken = _destination.Slice(Position, count);
        Position += count;
        return taken;
    }
}
