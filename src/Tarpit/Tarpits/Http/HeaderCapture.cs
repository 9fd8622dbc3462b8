using System.Buffers;
using Tarpit.Text;

namespace Tarpit.Tarpits.Http;

/// <summary>
/// Every header field of a request head as it is read (<see cref="HttpHeadReader"/>, byte by byte): its name and the
/// first bytes of its value, for the request capture. Bounded three ways — <see cref="MaxHeaders"/> fields,
/// <see cref="MaxNameLength"/> bytes of a name, <see cref="MaxValueLength"/> of a value — so it holds at most
/// <see cref="MaxBytes"/> raw bytes, in an <see cref="ArrayPool{T}"/> buffer that grows as fields arrive and goes back
/// to the pool with the reader's (<see cref="Release"/>). Fields past the bound are counted, not kept.
/// </summary>
internal sealed class HeaderCapture
{
    /// <summary>
    /// Fields kept per request: a browser sends 10–20 (Chrome's navigation request: 17), scanners fewer; 32 shows every
    /// real client's whole head. The head itself may have <see cref="HttpRequestParser.MaxHeaderCount"/>.
    /// </summary>
    public const int MaxHeaders = 32;

    /// <summary>Name bytes kept: the longest registered field name (IANA HTTP Field Name Registry) is under 40 characters.</summary>
    public const int MaxNameLength = 64;

    /// <summary>
    /// Escaped characters kept of a value ("the first bytes"): enough for a User-Agent's product token, a cookie's name,
    /// an Accept list's start. Escaping never shortens, so this many raw bytes (+ 1 to know it was cut) suffice.
    /// </summary>
    public const int MaxValueLength = 64;

    /// <summary>Per field: a name-length byte, a value-length byte, the name and the value (one past the bound).</summary>
    public const int MaxBytes = MaxHeaders * (2 + MaxNameLength + MaxValueLength + 1);

    private const int InitialBuffer = 256;

    private byte[]? _buffer;
    private int _length;
    private int _entry = -1;
    private bool _inValue;

    /// <summary>Field lines seen (kept or not).</summary>
    public int Seen { get; private set; }

    /// <summary>Fields kept (at most <see cref="MaxHeaders"/>).</summary>
    public int Kept { get; private set; }

    /// <summary>A byte of a field name (the first one starts the field).</summary>
    public void NameByte(byte b)
    {
        if (_entry < 0 && !_inValue)
        {
            Start();
        }

        if (_entry >= 0 && _buffer![_entry] < MaxNameLength)
        {
            Append(b);
            _buffer[_entry]++;
        }
    }

    /// <summary>The colon: the value begins (its leading whitespace, RFC 9110 §5.6.3 OWS, is not kept).</summary>
    public void ValueStart() => _inValue = true;

    /// <summary>A byte of the field value.</summary>
    public void ValueByte(byte b)
    {
        if (_entry < 0 || (_buffer![_entry + 1] == 0 && b is (byte)' ' or (byte)'\t'))
        {
            return;
        }

        if (_buffer[_entry + 1] <= MaxValueLength)
        {
            Append(b);
            _buffer[_entry + 1]++;
        }
    }

    /// <summary>The field line ended.</summary>
    public void End()
    {
        _entry = -1;
        _inValue = false;
    }

    /// <summary>The kept fields, escaped: names to <see cref="MaxNameLength"/>, values to <see cref="MaxValueLength"/> (with the marker when cut).</summary>
    public CapturedHeaders Fields()
    {
        var fields = new List<CapturedHeader>(Kept);
        var at = 0;
        while (at < _length)
        {
            var nameLength = _buffer![at];
            var valueLength = _buffer[at + 1];
            var name = _buffer.AsSpan(at + 2, nameLength);
            var value = HttpRequestParser.TrimOws(_buffer.AsSpan(at + 2 + nameLength, valueLength));
            var cut = valueLength > MaxValueLength;
            var text = AttackerText.Escape(cut ? value[..Math.Min(value.Length, MaxValueLength)] : value, MaxValueLength);
            fields.Add(new CapturedHeader(AttackerText.Escape(name, MaxNameLength), cut && !text.EndsWith(AttackerText.TruncationMarker) ? text + AttackerText.TruncationMarker : text));
            at += 2 + nameLength + valueLength;
        }

        return new CapturedHeaders(fields);
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Release()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
            _length = 0;
        }
    }

    private void Start()
    {
        Seen++;
        if (Kept >= MaxHeaders)
        {
            _inValue = true; // the rest of this line is not kept
            return;
        }

        Kept++;
        _entry = _length;
        Append(0);
        Append(0);
    }

    private void Append(byte b)
    {
        if (_buffer is null)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        }
        else if (_length == _buffer.Length)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, MaxBytes));
            _buffer.AsSpan(0, _length).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = grown;
        }

        _buffer[_length++] = b;
    }
}
