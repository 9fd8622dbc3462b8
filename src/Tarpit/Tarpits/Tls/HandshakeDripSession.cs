namespace Tarpit.Tarpits.Tls;

/// <summary>
/// <c>handshake-drip</c>. Once the ClientHello is verified it is replayed into a real TLS server (<see cref="TlsTunnel"/>:
/// OpenSSL set up as nginx sets it up, <see cref="NginxTlsContext"/>, with the tarpit's certificate), so the handshake
/// completes at full speed as nginx's does; inside it the client gets the HTTP <c>drip</c> (the same nginx heads, NSE answered at
/// speed, the page dripped <c>drip_bytes</c> per interval). The hold is the HTTP drip inside TLS.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Reliability",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "The engine never disposes sessions: the tunnel is disposed when the session closes, else finalized with it.")]
internal sealed class HandshakeDripSession(TlsTarpit tarpit) : TlsSession(tarpit)
{
    /// <summary>How often a handshake waiting on the client is looked at (bounded by <see cref="TlsTarpit.HelloTimeout"/>).</summary>
    private static readonly TimeSpan HandshakePoll = TimeSpan.FromMilliseconds(50);

    private TlsTunnel? _tunnel;
    private Http.DripSession? _http;
    private TimeSpan _handshakeStarted;
    private int _cipherWritten;
    private int _plainWritten;
    private bool _closing;

    protected override bool FullFlight => false;

    protected override bool ReplaysHello => true;

    protected override SessionStep Begin(ref SessionContext context, ServerFlight flight)
    {
        _tunnel = new TlsTunnel(Tarpit.Server, HelloBytes);
        ReleaseHello();
        _handshakeStarted = context.Elapsed;
        return Pump(ref context);
    }

    protected override SessionStep Continue(ref SessionContext context)
    {
        var tunnel = _tunnel!;
        tunnel.Accept(context.LastSent);
        var stalled = context.LastSent < _cipherWritten;
        _cipherWritten = 0;
        tunnel.Feed(context.Received);
        if (tunnel.Pending > 0)
        {
            // The records of the last step are not all out yet: send them before the HTTP session speaks again.
            return Flush(ref context, stalled ? Tarpit.NextInterval(context.Random) : TimeSpan.Zero);
        }

        if (_closing)
        {
            return Close();
        }

        return Pump(ref context);
    }

    private SessionStep Pump(ref SessionContext context)
    {
        var tunnel = _tunnel!;
        if (tunnel.Failed)
        {
            // A failed handshake leaves OpenSSL's alert queued; a client that closed TLS is gone.
            _closing = true;
            context.Written = _cipherWritten = tunnel.Peek(context.Output);
            return Close();
        }

        if (!tunnel.Established)
        {
            if (context.Elapsed - _handshakeStarted >= TlsTarpit.HelloTimeout)
            {
                return Close();
            }

            context.Written = _cipherWritten = tunnel.Peek(context.Output);
            return SessionStep.AwaitInput(HandshakePoll);
        }

        return StepHttp(ref context, tunnel);
    }

    /// <summary>One step of the HTTP session on the plaintext; its output goes out encrypted.</summary>
    private SessionStep StepHttp(ref SessionContext context, TlsTunnel tunnel)
    {
        _http ??= new Http.DripSession(Tarpit.Http);
        var plain = Tarpit.PlaintextOutput;
        var inner = context.Nested(plain);
        var input = Tarpit.PlaintextInput;
        inner.Received = input.AsSpan(0, tunnel.Read(input));
        inner.LastSent = _plainWritten;
        var step = _http.Step(ref inner);
        _plainWritten = inner.Written;
        tunnel.Write(plain.AsSpan(0, inner.Written));
        context.DiscardInput = inner.DiscardInput || tunnel.Ended;
        context.Written = _cipherWritten = tunnel.Peek(context.Output);
        if (step.Kind is SessionStepKind.Close or SessionStepKind.CloseAfter && tunnel.Pending > _cipherWritten)
        {
            _closing = true;
            return SessionStep.After(TimeSpan.Zero);
        }

        return step.Kind is SessionStepKind.Close ? Close() : step;
    }

    private SessionStep Flush(ref SessionContext context, TimeSpan delay)
    {
        context.Written = _cipherWritten = _tunnel!.Peek(context.Output);
        return _closing && _tunnel.Pending <= _cipherWritten ? Close() : SessionStep.After(delay);
    }

    /// <summary>The last output is already in the engine's buffer: OpenSSL's state can go now.</summary>
    private SessionStep Close()
    {
        _tunnel?.Dispose();
        return SessionStep.Close;
    }
}
