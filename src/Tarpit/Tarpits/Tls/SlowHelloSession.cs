namespace Tarpit.Tarpits.Tls;

/// <summary>
/// <c>slow-hello</c>: a valid TLS 1.2 ServerHello built for this client, then the server's Certificate record, both
/// dripped <c>drip_bytes</c> per interval; the Certificate's last byte is never sent, so the client's TLS stack,
/// which waits for whole records, keeps waiting without ever seeing an error (see docs/BENCHMARKS.md, TLS).
/// A session keeps its ServerHello and an offset into ServerHello + Certificate.
/// </summary>
internal sealed class SlowHelloSession(TlsTarpit tarpit) : TlsSession(tarpit)
{
    private byte[] _serverHello = [];
    private byte[] _certificate = [];
    private int _offset;
    private int _lastWritten;

    /// <summary>Everything but the Certificate record's final byte.</summary>
    private int StreamLength => _serverHello.Length + _certificate.Length - 1;

    protected override SessionStep Begin(ref SessionContext context, byte[] hello, ushort version)
    {
        _serverHello = hello;
        _certificate = Tarpit.CertificateRecordFor(version);
        _offset = 0;
        _lastWritten = 0;
        return Drip(ref context);
    }

    protected override SessionStep Continue(ref SessionContext context)
    {
        _offset += Math.Min(context.LastSent, _lastWritten);
        if (_offset >= StreamLength)
        {
            // Held: the client waits for a record that never completes; what it sends is dropped unread.
            _lastWritten = 0;
            return SessionStep.AwaitInput(TlsTarpit.SilentWait);
        }

        return Drip(ref context);
    }

    private SessionStep Drip(ref SessionContext context)
    {
        var count = Math.Min(Tarpit.DripBytes, StreamLength - _offset);
        for (var i = 0; i < count; i++)
        {
            var position = _offset + i;
            context.Output[i] = position < _serverHello.Length ? _serverHello[position] : _certificate[position - _serverHello.Length];
        }

        context.Written = count;
        _lastWritten = count;
        return SessionStep.After(Tarpit.NextInterval(context.Random));
    }
}
