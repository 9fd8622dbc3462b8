namespace Tarpit.Tarpits.Tls;

/// <summary>
/// <c>slow-hello</c>: the ServerHello this client would get from nginx (TLS 1.3 or 1.2), dripped <c>drip_bytes</c> per
/// interval from its first byte, then for TLS 1.3 the ChangeCipherSpec and the first encrypted record, for TLS 1.2 the
/// server's Certificate record; the last byte is never sent, so the client's TLS stack, which waits for whole records,
/// keeps waiting without ever seeing an error (see docs/BENCHMARKS.md, TLS).
/// </summary>
internal sealed class SlowHelloSession(TlsTarpit tarpit) : TlsSession(tarpit)
{
    private FlightStream _stream;

    protected override bool FullFlight => false;

    protected override SessionStep Begin(ref SessionContext context, ServerFlight flight)
    {
        _stream = new FlightStream(flight);
        return Drip(ref context);
    }

    protected override SessionStep Continue(ref SessionContext context)
    {
        _stream.Accept(context.LastSent);
        if (_stream.Done)
        {
            // Held: the client waits for a record that never completes; what it sends is dropped unread.
            return SessionStep.AwaitInput(TlsTarpit.SilentWait);
        }

        return Drip(ref context);
    }

    private SessionStep Drip(ref SessionContext context)
    {
        context.Written = _stream.Write(context.Output, Tarpit.DripBytes, helloOnly: false);
        return SessionStep.After(Tarpit.NextInterval(context.Random));
    }
}
