namespace Tarpit.Tarpits.Http;

/// <summary>
/// The verification and request-reading half every HTTP mode shares: hold a silent client without a word, read a
/// bounded request head as it arrives (<see cref="HttpHeadReader"/>: each byte looked at once, only the current line
/// buffered, in a pooled buffer given back once the head is decided), answer garbage with nginx's 400 after a
/// short random pause and close, record what the client asked for, then hand the request to the mode.
/// </summary>
internal abstract partial class HttpSession(HttpTarpit tarpit) : ITarpitSession
{
    private HttpHeadReader? _head;
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

        if (_head is not null && context.Elapsed - _readStarted >= HttpTarpit.HeaderTimeout)
        {
            // nginx client_header_timeout: a started head that stalls (or trickles) is closed without a response.
            _head.Release();
            _head = null;
            return SessionStep.Close;
        }

        if (context.Received.IsEmpty)
        {
            return _head is null
                ? SessionStep.AwaitInput(HttpTarpit.SilentWait)
                : SessionStep.AwaitInput(HttpTarpit.HeaderTimeout - (context.Elapsed - _readStarted));
        }

        if (_head is null)
        {
            if (Requests == 0)
            {
                context.RecordFirstBytes(context.Received);
            }

            _head = new HttpHeadReader();
            _readStarted = context.Elapsed;
        }

        var status = _head.Feed(context.Received);
        if (status == HttpParseStatus.Incomplete)
        {
            return SessionStep.AwaitInput(HttpTarpit.HeaderTimeout - (context.Elapsed - _readStarted));
        }

        var request = _head.Request;
        _head = null;
        switch (status)
        {
            case HttpParseStatus.Complete:
                Requests++;
                Pace(request!);
                Observe(ref context, request!);
                if (Requests == 1)
                {
                    // Behind a trusted proxy the head names the client: before the first event that carries it.
                    context.NameClient(request!.Forwarding);
                    context.MarkVerified();
                }

                if (Requests <= RequestCapture.MaxCapturedRequests)
                {
                    context.Publish(CaptureKeys.Http, RequestCapture.Compose(request!, Requests));
                }

                _phase = Phase.Responding;
                return Begin(ref context, request!);
            case HttpParseStatus.VersionNotSupported:
                // nginx answers 505 as soon as it has the request line, and closes.
                _rejectPage = HttpErrorPage.VersionNotSupported;
                _phase = Phase.Rejecting;
                return SessionStep.After(HttpTarpit.RejectDelay(context.Random));
            default:
                _rejectPage = status switch
                {
                    HttpParseStatus.UriTooLong => HttpErrorPage.UriTooLong,
                    HttpParseStatus.HeaderTooLarge => HttpErrorPage.HeaderTooLarge,
                    _ => HttpErrorPage.BadRequest,
                };
                _phase = Phase.Rejecting;
                return SessionStep.After(HttpTarpit.RejectDelay(context.Random));
        }
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
