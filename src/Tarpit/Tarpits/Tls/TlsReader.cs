using System.Buffers.Binary;

namespace Tarpit.Tarpits.Tls;

/// <summary>
/// Reads TLS presentation-language structures (RFC 8446 §3) from a span: every vector's length prefix is checked
/// against its declared bounds and against the bytes that remain. Any failure is a decode_error.
/// </summary>
internal ref struct TlsReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    public readonly bool IsEmpty => _rest.IsEmpty;

    public bool TryReadUInt8(out byte value)
    {
        value = 0;
        if (_rest.Length < 1)
        {
            return false;
        }

        value = _rest[0];
        _rest = _rest[1..];
        return true;
    }

    public bool TryReadUInt16(out ushort value)
    {
        value = 0;
        if (_rest.Length < 2)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt16BigEndian(_rest);
        _rest = _rest[2..];
        return true;
    }

    public bool TryReadBytes(int count, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (_rest.Length < count)
        {
            return false;
        }

        value = _rest[..count];
        _rest = _rest[count..];
        return true;
    }

    /// <summary>A vector <c>&lt;min..max&gt;</c> with a one-byte length prefix.</summary>
    public bool TryReadVector8(int min, int max, out ReadOnlySpan<byte> value)
    {
        value = default;
        return TryReadUInt8(out var length) && length >= min && length <= max && TryReadBytes(length, out value);
    }

    /// <summary>A vector <c>&lt;min..max&gt;</c> with a two-byte length prefix.</summary>
    public bool TryReadVector16(int min, int max, out ReadOnlySpan<byte> value)
    {
        value = default;
        return TryReadUInt16(out var length) && length >= min && length <= max && TryReadBytes(length, out value);
    }
}
