namespace Tarpit.Tarpits.Tls;

/// <summary>
/// <c>endless-hello-request</c> (the name is kept for configs; it sends no HelloRequest any more: GnuTLS and Go's
/// crypto/tls abort on one during a handshake, and no server sends one in answer to a ClientHello). The server's
/// whole first flight goes out at once, as nginx sends it (TLS 1.3: ServerHello and ChangeCipherSpec; TLS 1.2:
/// ServerHello, Certificate, a genuinely signed ServerKeyExchange, ServerHelloDone), so scanners see the real profile;
/// then the handshake stalls where a slow server cannot be told from a tarpit: the next record (TLS 1.3: the first
/// encrypted record; TLS 1.2, after the client's Finished: NewSessionTicket, ChangeCipherSpec, the encrypted Finished)
/// is dripped <c>drip_bytes</c> per interval and its last byte never sent.
/// </summary>
internal sealed class EndlessHelloRequestSession(TlsTarpit tarpit) : TlsSession(tarpit)
{
    private FlightStream _stream;
    private bool _awaitingClient;

    protected override bool FullFlight => true;

    protected override SessionStep Begin(ref SessionContext context, ServerFlight flight)
    {
        _stream = new FlightStream(flight);
        _awaitingClient = flight.StallAfterClientFlight;
        context.Written = _stream.Write(context.Output, context.Output.Length, helloOnly: true);
        return SessionStep.After(TimeSpan.Zero);
    }

    protected override SessionStep Continue(ref SessionContext context)
    {
        _stream.Accept(context.LastSent);
        if (!_stream.HelloSent)
        {
            context.Written = _stream.Write(context.Output, context.Output.Length, helloOnly: true);
            return SessionStep.After(context.Written == 0 ? Tarpit.NextInterval(context.Random) : TimeSpan.Zero);
        }

        if (_awaitingClient)
        {
            // TLS 1.2: the client answers the flight with its key exchange and Finished (dropped unread).
            if (context.Received.IsEmpty && !context.InputTimedOut)
            {
                return SessionStep.AwaitInput(TlsTarpit.HelloTimeout);
            }

            _awaitingClient = false;
        }

        if (_stream.Done)
        {
            return SessionStep.AwaitInput(TlsTarpit.SilentWait);
        }

        context.Written = _stream.Write(context.Output, Tarpit.DripBytes, helloOnly: false);
        return SessionStep.After(Tarpit.NextInterval(context.Random));
    }
}
