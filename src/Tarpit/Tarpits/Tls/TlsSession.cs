using System.Buffers;

namespace Tarpit.Tarpits.Tls;

/// <summary>
/// The verification half every TLS mode shares: hold a silent client without a word, read a bounded ClientHello
/// as it arrives (<see cref="ClientHelloReader"/>: copied once, into a pooled buffer given back once decided), answer garbage, an unsupported version or no common suite with
/// the fatal alert a real server sends (after a short random pause, then close), record SNI and ALPN, then hand the
/// ServerHello this client would get to the mode.
/// </summary>
internal abstract class TlsSession(TlsTarpit tarpit) : ITarpitSession
{
    private ClientHelloReader? _hello;
    private ArrayBufferWriter<byte>? _helloBytes;
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

    /// <summary>The mode replays the client's first flight into a real TLS server: keep the bytes it sent.</summary>
    protected virtual bool ReplaysHello => false;

    /// <summary>With <see cref="ReplaysHello"/>: everything the client sent up to and with its ClientHello; empty after <see cref="ReleaseHello"/>.</summary>
    protected ReadOnlySpan<byte> HelloBytes => _helloBytes is null ? default : _helloBytes.WrittenSpan;

    protected void ReleaseHello() => _helloBytes = null;

    private SessionStep Read(ref SessionContext context)
    {
        if (!tarpit.VerifyClient)
        {
            // verify_client = false: start at once, answering a generic TLS 1.2 client.
            return Answer(ref context, UnverifiedHello);
        }

        if (_hello is not null && context.Elapsed - _readStarted >= TlsTarpit.HelloTimeout)
        {
            _hello.Release();
            _hello = null;
            _helloBytes = null;
            return SessionStep.Close;
        }

        if (context.Received.IsEmpty)
        {
            return _hello is null
                ? SessionStep.AwaitInput(TlsTarpit.SilentWait)
                : SessionStep.AwaitInput(TlsTarpit.HelloTimeout - (context.Elapsed - _readStarted));
        }

        if (_hello is null)
        {
            context.RecordFirstBytes(context.Received);
            _hello = new ClientHelloReader();
            _readStarted = context.Elapsed;
        }

        if (ReplaysHello)
        {
            // Bounded by the reader: it decides at most MaxFlightLength + 1 bytes in. Appended (the buffer doubles), not
            // copied whole on every read: a hello sent a byte at a time costs linear time, not quadratic.
            (_helloBytes ??= new()).Write(context.Received);
        }

        var reader = _hello;
        var result = reader.Feed(context.Received);
        if (result.Status == TlsParseStatus.Incomplete)
        {
            return SessionStep.AwaitInput(TlsTarpit.HelloTimeout - (context.Elapsed - _readStarted));
        }

        _hello = null;
        if (result.Status != TlsParseStatus.Complete)
        {
            _helloBytes = null;
        }

        switch (result.Status)
        {
            case TlsParseStatus.Complete:
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
                context.Publish(CaptureKeys.Tls, HelloCapture.Compose(hello));
                return Answer(ref context, hello);
            default:
                return Reject(ref context, reader.AlertVersion, result.Alert);
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
