namespace Tarpit.Tarpits.Tls;

/// <summary>
/// The verification half both TLS modes share: hold a silent client without a word, read a bounded ClientHello
/// (buffering only while it is split across reads), answer garbage, an unsupported version or no common suite with
/// the fatal alert a real server sends (after a short random pause, then close), record SNI and ALPN, then hand the
/// ServerHello this client would get to the mode.
/// </summary>
internal abstract class TlsSession(TlsTarpit tarpit) : ITarpitSession
{
    private byte[]? _pending;
    private TimeSpan _readStarted;
    private ushort _alertVersion;
    private byte _alert;
    private Phase _phase;

    private enum Phase : byte
    {
        Reading,
        Alerting,
        Responding,
    }

    protected TlsTarpit Tarpit => tarpit;

    public SessionStep Step(ref SessionContext context)
    {
        switch (_phase)
        {
            case Phase.Responding:
                return Continue(ref context);
            case Phase.Alerting:
                context.Written = TlsAlert.Write(context.Output, _alertVersion, _alert);
                return SessionStep.Close;
            default:
                return Read(ref context);
        }
    }

    /// <summary>For TLS 1.2: send the whole first flight a server sends (<see cref="TlsTarpit.Flight"/>), or ServerHello and Certificate.</summary>
    protected abstract bool FullFlight { get; }

    /// <summary>A valid ClientHello arrived; <paramref name="flight"/> is what this client gets.</summary>
    protected abstract SessionStep Begin(ref SessionContext context, ServerFlight flight);

    protected abstract SessionStep Continue(ref SessionContext context);

    private SessionStep Read(ref SessionContext context)
    {
        if (!tarpit.VerifyClient)
        {
            // verify_client = false: start at once, answering a generic TLS 1.2 client.
            return Answer(ref context, UnverifiedHello);
        }

        if (context.Received.IsEmpty)
        {
            if (_pending is null)
            {
                return SessionStep.AwaitInput(TlsTarpit.SilentWait);
            }

            var waited = context.Elapsed - _readStarted;
            return waited >= TlsTarpit.HelloTimeout ? SessionStep.Close : SessionStep.AwaitInput(TlsTarpit.HelloTimeout - waited);
        }

        if (_pending is null)
        {
            context.RecordFirstBytes(context.Received);
        }

        ReadOnlySpan<byte> data = context.Received;
        if (_pending is not null)
        {
            var grown = new byte[_pending.Length + data.Length];
            _pending.CopyTo(grown, 0);
            data.CopyTo(grown.AsSpan(_pending.Length));
            _pending = grown;
            data = grown;
        }

        var result = ClientHelloParser.Parse(data);
        switch (result.Status)
        {
            case TlsParseStatus.Incomplete:
                if (_pending is null)
                {
                    _pending = data.ToArray();
                    _readStarted = context.Elapsed;
                }

                return SessionStep.AwaitInput(TlsTarpit.HelloTimeout - (context.Elapsed - _readStarted));
            case TlsParseStatus.Complete:
                _pending = null;
                var hello = result.Hello!;
                if (hello.ServerName is { } serverName)
                {
                    context.Observe("tls.sni", serverName);
                }

                if (hello.Alpn is { } alpn)
                {
                    context.Observe("tls.alpn", alpn);
                }

                context.MarkVerified();
                return Answer(ref context, hello);
            default:
                _pending = null;
                return Reject(ref context, data.Length >= 3 && data[1] == 3 ? (ushort)((data[1] << 8) | Math.Min(data[2], (byte)3)) : TlsRecord.Tls10, result.Alert);
        }
    }

    private SessionStep Answer(ref SessionContext context, ClientHello hello)
    {
        var flight = tarpit.Flight(hello, context.Random, FullFlight, out var version, out var refusal);
        if (flight is null)
        {
            return Reject(ref context, version, refusal);
        }

        _phase = Phase.Responding;
        return Begin(ref context, flight);
    }

    private SessionStep Reject(ref SessionContext context, ushort version, byte description)
    {
        _alertVersion = version;
        _alert = description;
        _phase = Phase.Alerting;
        return SessionStep.After(TlsTarpit.AlertDelay(context.Random));
    }

    private static readonly ClientHello UnverifiedHello = new(
        TlsRecord.Tls10, TlsRecord.Tls12, TlsRecord.Tls12, OffersTls12: true, [], [0xC02F], null, null, AlpnHttp11: false, ClientHelloExtensions.RenegotiationInfo, new byte[32]);
}
