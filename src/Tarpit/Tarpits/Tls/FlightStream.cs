namespace Tarpit.Tarpits.Tls;

/// <summary>
/// The bytes of a <see cref="ServerFlight"/> as one stream with a position, never its last byte: what both TLS modes
/// send, fast or dripped. Remembers what the last step wrote so the kernel's partial acceptance is accounted for.
/// </summary>
internal struct FlightStream
{
    private byte[] _hello;
    private byte[] _stall;
    private int _offset;
    private int _lastWritten;

    public FlightStream(ServerFlight flight)
    {
        ArgumentNullException.ThrowIfNull(flight);
        _hello = flight.Hello;
        _stall = flight.Stall;
        _offset = 0;
        _lastWritten = 0;
    }

    /// <summary>Everything not yet sent but the final byte, from where the offset counts.</summary>
    private readonly int Length => _hello.Length + _stall.Length - 1;

    public readonly bool HelloSent => _offset >= _hello.Length;

    public readonly bool Done => _hello.Length + _stall.Length == 0 || _offset >= Length;

    /// <summary>Counts what the kernel took of the last write.</summary>
    public void Accept(int lastSent)
    {
        _offset += Math.Clamp(lastSent, 0, _lastWritten);
        _lastWritten = 0;
        if (Done)
        {
            _hello = [];
            _stall = [];
            _offset = 0;
        }
        else if (_hello.Length > 0 && _offset >= _hello.Length)
        {
            // Once the hello is out, a held session keeps only the stall (endless-hello-request sends its whole TLS 1.2
            // flight, certificate included, at once: ~1.5 KB a session no longer holds).
            _offset -= _hello.Length;
            _hello = [];
        }
    }

    /// <summary>Writes up to <paramref name="max"/> bytes, stopping at the end of the hello when <paramref name="helloOnly"/>.</summary>
    public int Write(Span<byte> output, int max, bool helloOnly)
    {
        var end = helloOnly ? Math.Min(_hello.Length, Length) : Length;
        var count = Math.Max(0, Math.Min(Math.Min(max, output.Length), end - _offset));
        for (var i = 0; i < count; i++)
        {
            var position = _offset + i;
            output[i] = position < _hello.Length ? _hello[position] : _stall[position - _hello.Length];
        }

        _lastWritten = count;
        return count;
    }
}
