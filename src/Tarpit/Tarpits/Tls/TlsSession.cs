using System.Buffers;

namespace Tarpit.Tarpits.Tls;

/// <summary>
/// The verification half every TLS mode shares: hold a silent client without a word, read a bounded ClientHello
/// as it arrives (<see cref="ClientHelloReader"/>: copied once, into a pooled buffer given back once decided), answer garbage, an unsupported version or no common suite with
/// the fatal alert a real server sends (after a short random pause, then close), record SNI and ALPN, then hand the
/// ServerHello this client would get to the mode. Two clients are answered as nginx answers them instead: one that
/// speaks plain HTTP (<see cref="PlainHttpSession"/>), and, in the stall modes, one whose address sent nmap's
/// service-scan probe lately (<see cref="ScannerMemory"/>): its handshake completes (<see cref="HandshakeDripSession"/>).
/// </summary>
internal abstract class TlsSession(TlsTarpit tarpit) : ITarpitSession
{
    private ClientHelloReader? _hello;

    /// <summary>
    /// What only some connections need, in one slot so that a held stall session is no larger: the bytes of the hello
    /// to replay (an <see cref="ArrayBufferWriter{T}"/>), then, when another session took over, that session.
    /// </summary>
    private object? _extra;
    private TimeSpan _readStarted;
    private ushort _alertVersion;
    private byte _alert;
    private Phase _phase;

    private enum Phase : byte
    {
        Reading,
        Alerting,
        Responding,
        TakenOver,
    }

    protected TlsTarpit Tarpit => tarpit;

    public SessionStep Step(ref SessionContext context)
    {
        switch (_phase)
        {
            case Phase.Responding:
                return Continue(ref context);
            case Phase.TakenOver:
                return ((ITarpitSession)_extra!).Step(ref context);
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
    protected ReadOnlySpan<byte> HelloBytes => _extra is ArrayBufferWriter<byte> bytes ? bytes.WrittenSpan : default;

    protected void ReleaseHello() => _extra = null;

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
            _extra = null;
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
            if (PlainHttpSession.StartsPlainHttp(context.Received[0]))
            {
                return TakeOver(ref context, new PlainHttpSession(tarpit.Http));
            }

            context.RecordFirstBytes(context.Received);
            _hello = new ClientHelloReader();
            _readStarted = context.Elapsed;
            if (ReplaysHello || tarpit.Scanners.Remembers(context.RemoteAddress, context.Now))
            {
                _extra = new ArrayBufferWriter<byte>();
            }
        }

        if (_extra is ArrayBufferWriter<byte> replayed)
        {
            // Bounded by the reader: it decides at most MaxFlightLength + 1 bytes in. Appended (the buffer doubles), not
            // copied whole on every read: a hello sent a byte at a time costs linear time, not quadratic.
            replayed.Write(context.Received);
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
            _extra = null;
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
                if (ServiceScanProbes.Sent(hello) && context.RemoteAddress is { } scanner)
                {
                    context.Observe("tls.probe", "nmap");
                    tarpit.Scanners.Remember(scanner, context.Now);
                }

                if (!ReplaysHello && _extra is ArrayBufferWriter<byte> bytes)
                {
                    // A stall mode's remembered scanner: handshake-drip answers it with the hello it sent.
                    var drip = new HandshakeDripSession(tarpit);
                    ((TlsSession)drip)._extra = bytes;
                    _extra = null;
                    return TakeOver(ref context, drip, hello);
                }

                return Answer(ref context, hello);
            default:
                return Reject(ref context, reader.AlertVersion, result.Alert);
        }
    }

    /// <summary>From now on <paramref name="session"/> answers this connection; with a hello, it answers that first.</summary>
    private SessionStep TakeOver(ref SessionContext context, ITarpitSession session, ClientHello? hello = null)
    {
        _extra = session;
        _phase = Phase.TakenOver;
        return hello is null ? session.Step(ref context) : ((TlsSession)session).Answer(ref context, hello);
    }

    private SessionStep Answer(ref SessionContext context, ClientHello hello)
    {
        var flight = tarpit.Flight(hello, context.Random, FullFlight, out var version, out var refusal);
        if (flight is null)
        {
            // OpenSSL answers an SSLv3 hello in an SSLv3 record, and SSLv3 has no protocol_version alert: it sends
            // handshake_failure instead (ssl3_alert_code). Debian's nginx answers nmap's SSLv3 probe 15 03 00 00 02 02 28.
            return hello.LegacyVersion == TlsRecord.Ssl3 && refusal == TlsAlert.ProtocolVersion
                ? Reject(ref context, TlsRecord.Ssl3, TlsAlert.HandshakeFailure)
                : Reject(ref context, version, refusal);
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
