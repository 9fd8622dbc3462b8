namespace Tarpit.Tarpits.Http;

/// <summary>
/// <c>endless-header</c>: the status line nginx would give the request (200, 206 for a Range, 404 for a missing path,
/// 405 for a method it does not serve), the headers nginx sends first, then one plausible header line per interval,
/// forever; the header block never ends, so a client never reaches a body (a scanner that reads responses whole gets
/// the static answer at speed instead: <see cref="WholeResponseReaders"/>). A session per connection reads the request;
/// once the head began, the mode's shared <see cref="EndlessHeaderHold"/> sends the lines and the session is let go.
/// </summary>
internal sealed class EndlessHeaderSession(HttpTarpit tarpit, EndlessHeaderHold hold) : HttpSession(tarpit)
{
    protected override SessionStep Begin(ref SessionContext context, HttpRequest request)
    {
        if (AtSpeed)
        {
            // A scanner that reads responses whole would report nothing of a head that never ends: nginx's answer.
            return StartStatic(ref context, request);
        }

        var status = request.Answer switch
        {
            StaticAnswer.NotFound => "404 Not Found",
            StaticAnswer.NotAllowed => "405 Not Allowed",
            _ when request.Range is { } range => range.Resolve(Tarpit.Article.Length) is null ? "416 Requested Range Not Satisfiable" : "206 Partial Content",
            _ => "200 OK",
        };
        var w = new AsciiWriter(context.Output);
        NginxResponses.WriteStatusAndCore(ref w, status, Tarpit.Server, context.Now, request.Answer == StaticAnswer.Page ? Tarpit.ContentType : "text/html");
        w.AppendLine("Connection", "keep-alive");
        context.Written = w.Length;

        // The head never ends, so no further request is read: the shared hold takes over, starting with no line.
        context.Next = hold;
        context.State = 0;
        return SessionStep.After(Tarpit.NextInterval(context.Random));
    }

    /// <summary>Never called: <see cref="Begin"/> hands the connection over, or starts a static answer, which continues itself.</summary>
    protected override SessionStep Continue(ref SessionContext context) =>
        throw new InvalidOperationException("endless-header hands its connections over to its hold when the response begins.");
}
