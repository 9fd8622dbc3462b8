namespace Tarpit.Tarpits.Http;

/// <summary>
/// The two responses every dripping mode shares with nginx's static site: the page (200, 206 for a satisfiable Range,
/// 416 otherwise; the head only for HEAD) and nginx's error pages (404, 405), each dripped <c>drip_bytes</c> per
/// interval from its first byte, then the next request on keep-alive. A scanner that reads responses whole
/// (<see cref="WholeResponseReaders"/>) gets every response at speed instead.
/// </summary>
internal abstract partial class HttpSession
{
    private long _pageOffset;
    private long _pageEnd;
    private byte[]? _errorResponse;
    private int _errorOffset;
    private bool _responseKeepAlive;
    private bool _atSpeed;
    private bool _stalled;

    /// <summary>The current request came from a scanner that reads responses whole: it is answered at speed, not dripped.</summary>
    protected bool AtSpeed => _atSpeed;

    /// <summary>
    /// The wait before the next drip: one jittered interval, or none for a scanner answered at speed while the kernel
    /// takes everything written (a scanner that stopped reading is waited for an interval, as the bombs do).
    /// </summary>
    protected TimeSpan NextStep(ref SessionContext context) =>
        _atSpeed && !_stalled ? TimeSpan.Zero : tarpit.NextInterval(context.Random);

    /// <summary>Decides, per request, whether it is answered at speed (<see cref="WholeResponseReaders"/>).</summary>
    protected void Pace(HttpRequest request)
    {
        _atSpeed = WholeResponseReaders.Sent(request);
        _stalled = false;
    }

    /// <summary>Answers a request for which the mode has nothing of its own: a 404/405 page, or the page itself.</summary>
    protected SessionStep StartStatic(ref SessionContext context, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Answer switch
        {
            StaticAnswer.NotFound => StartError(ref context, request, HttpErrorPage.NotFound),
            StaticAnswer.NotAllowed => StartError(ref context, request, HttpErrorPage.NotAllowed),
            _ => StartPage(ref context, request),
        };
    }

    /// <summary>nginx's error page for <paramref name="page"/>, head and body dripped (the head only for HEAD).</summary>
    protected SessionStep StartError(ref SessionContext context, HttpRequest request, HttpErrorPage page)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = NginxResponses.ErrorBody(page, tarpit.Server);
        var w = new AsciiWriter(context.Output);
        NginxResponses.WriteStatusAndCore(ref w, NginxResponses.StatusLine(page), tarpit.Server, context.Now, "text/html");
        w.Append("Content-Length: "u8);
        w.Append(body.Length);
        w.EndLine();
        w.AppendLine("Connection", request.KeepAlive ? "keep-alive" : "close");
        w.EndLine();
        if (!request.IsHead)
        {
            w.Append(body);
        }

        _errorResponse = context.Output[..w.Length].ToArray();
        _errorOffset = 0;
        _responseKeepAlive = request.KeepAlive;
        _phase = Phase.Error;
        context.Written = 0;
        return SessionStep.After(NextStep(ref context));
    }

    /// <summary>The page (<see cref="HttpTarpit.Article"/>) with nginx's static head, or the Range of it asked for.</summary>
    protected SessionStep StartPage(ref SessionContext context, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var length = tarpit.Article.Length;
        var (start, end) = (0L, length - 1);
        if (request.Range is { } range)
        {
            if (range.Resolve(length) is not { } selected)
            {
                return StartError(ref context, request, HttpErrorPage.RangeNotSatisfiable);
            }

            (start, end) = selected;
        }

        var w = new AsciiWriter(context.Output);
        StaticFileHead.Write(ref w, tarpit, context.Now, length, request.Range is null ? null : (start, end), null, request.KeepAlive);
        _pageOffset = start;
        _pageEnd = request.IsHead ? start : end + 1;
        _responseKeepAlive = request.KeepAlive;
        _phase = Phase.Page;
        WriteBody(ref context, w.Length, _pageOffset, Math.Min(_pageEnd, length), tarpit.Article);
        return SessionStep.After(NextStep(ref context));
    }

    private SessionStep ContinuePage(ref SessionContext context)
    {
        _pageOffset += AcceptedBody(ref context);
        if (_pageOffset >= _pageEnd)
        {
            return EndResponse(_responseKeepAlive);
        }

        WriteBody(ref context, 0, _pageOffset, _pageEnd, tarpit.Article);
        return SessionStep.After(NextStep(ref context));
    }

    private SessionStep ContinueError(ref SessionContext context)
    {
        _errorOffset += AcceptedBody(ref context);
        if (_errorOffset >= _errorResponse!.Length)
        {
            _errorResponse = null;
            return EndResponse(_responseKeepAlive);
        }

        WriteBody(ref context, 0, _errorOffset, _errorResponse);
        return SessionStep.After(NextStep(ref context));
    }
}
