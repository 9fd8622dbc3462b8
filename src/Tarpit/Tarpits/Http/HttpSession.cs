namespace Tarpit.Tarpits.Http;

/// <summary>
/// The verification and request-reading half every HTTP mode shares: hold a silent client without a word, read a
/// bounded request head (buffering only while it is split across reads), answer garbage with nginx's 400 after a
/// short random pause and close, record what the client asked for, then hand the request to the mode.
/// </summary>
internal abstract partial class HttpSession(HttpTarpit tarpit) : ITarpitSession
{
    private byte[]? _pending;
    private TimeSpan _readStarted;
    private HttpErrorPage _rejectPage;
    private Phase _phase;

    private enum Phase : byte
    {
        Reading,
        Rejecting,
        Responding,
        Page,
        Error,
    }

    protected HttpTarpit Tarpit => tarpit;

    /// <summary>Requests read on this connection.</summary>
    protected int Requests { get; private set; }

    public SessionStep Step(ref SessionContext context)
    {
        switch (_phase)
        {
            case Phase.Responding:
                return Continue(ref context);
            case Phase.Page:
                return ContinuePage(ref context);
            case Phase.Error:
                return ContinueError(ref context);
            case Phase.Rejecting:
                context.Written = NginxResponses.WriteError(context.Output, _rejectPage, tarpit.Server, context.Now);
                return SessionStep.Close;
            default:
                return Read(ref context);
        }
    }

    /// <summary>A complete request arrived: write the start of the response.</summary>
    protected abstract SessionStep Begin(ref SessionContext context, HttpRequest request);

    /// <summary>The next drip of the response begun by <see cref="Begin"/>.</summary>
    protected abstract SessionStep Continue(ref SessionContext context);

    /// <summary>The response is complete: wait for the next request on a persistent connection, or close.</summary>
    protected SessionStep EndResponse(bool keepAlive)
    {
        if (!keepAlive || Requests >= HttpTarpit.MaxRequestsPerConnection)
        {
            return SessionStep.CloseAfter(TimeSpan.FromMilliseconds(100));
        }

        _phase = Phase.Reading;
        return SessionStep.AwaitInput(HttpTarpit.SilentWait);
    }

    private SessionStep Read(ref SessionContext context)
    {
        if (!tarpit.VerifyClient && Requests == 0)
        {
            // verify_client = false: the mode starts at once, as if a browser had asked for "/".
            Requests++;
            _phase = Phase.Responding;
            return Begin(ref context, UnverifiedRequest);
        }

        if (context.Received.IsEmpty)
        {
            if (_pending is null)
            {
                return SessionStep.AwaitInput(HttpTarpit.SilentWait);
            }

            // nginx client_header_timeout: a started head that stalls is closed without a response.
            var waited = context.Elapsed - _readStarted;
            return waited >= HttpTarpit.HeaderTimeout ? SessionStep.Close : SessionStep.AwaitInput(HttpTarpit.HeaderTimeout - waited);
        }

        if (Requests == 0 && _pending is null)
        {
            context.RecordFirstBytes(context.Received);
        }

        var data = Append(ref context);
        var result = HttpRequestParser.Parse(data);
        switch (result.Status)
        {
            case HttpParseStatus.Incomplete:
                if (_pending is null)
                {
                    _pending = data.ToArray();
                    _readStarted = context.Elapsed;
                }

                return SessionStep.AwaitInput(HttpTarpit.HeaderTimeout - (context.Elapsed - _readStarted));
            case HttpParseStatus.Complete:
                _pending = null;
                Requests++;
                var request = result.Request!;
                Observe(ref context, request);
                if (Requests == 1)
                {
                    context.MarkVerified();
                }

                _phase = Phase.Responding;
                return Begin(ref context, request);
            case HttpParseStatus.VersionNotSupported:
                // nginx answers 505 as soon as it has the request line, and closes.
                _pending = null;
                _rejectPage = HttpErrorPage.VersionNotSupported;
                _phase = Phase.Rejecting;
                return SessionStep.After(HttpTarpit.RejectDelay(context.Random));
            default:
                _pending = null;
                _rejectPage = result.Status switch
                {
                    HttpParseStatus.UriTooLong => HttpErrorPage.UriTooLong,
                    HttpParseStatus.HeaderTooLarge => HttpErrorPage.HeaderTooLarge,
                    _ => HttpErrorPage.BadRequest,
                };
                _phase = Phase.Rejecting;
                return SessionStep.After(HttpTarpit.RejectDelay(context.Random));
        }
    }

    /// <summary>The head so far: the received bytes alone, or appended to what an earlier read left pending.</summary>
    private ReadOnlySpan<byte> Append(ref SessionContext context)
    {
        if (_pending is null)
        {
            return context.Received;
        }

        var grown = new byte[_pending.Length + context.Received.Length];
        _pending.CopyTo(grown, 0);
        context.Received.CopyTo(grown.AsSpan(_pending.Length));
        _pending = grown;
        return grown;
    }

    private static void Observe(ref SessionContext context, HttpRequest request)
    {
        context.Observe("http.method", request.Method);
        context.Observe("http.path", request.Target);
        if (request.Host is { } host)
        {
            context.Observe("http.host", host);
        }

        if (request.UserAgent is { } userAgent)
        {
            context.Observe("http.user_agent", userAgent);
        }
    }

    private static readonly HttpRequest UnverifiedRequest = new("GET", "/", 1, null, null, ContentCodings.Gzip, null, null, KeepAlive: true, HeadLength: 0);
}
