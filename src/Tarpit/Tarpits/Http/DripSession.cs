namespace Tarpit.Tarpits.Http;

/// <summary>
/// <c>drip</c>: a complete static-file head promising <c>content_length</c> bytes, then a plausible HTML page dripped
/// <c>drip_bytes</c> per interval.
/// Also the bombs' fallback when the client accepts no compression.
/// </summary>
internal sealed class DripSession(HttpTarpit tarpit) : HttpSession(tarpit)
{
    private long offset;
    private bool keepAlive;

    protected override SessionStep Begin(ref SessionContext context, HttpRequest request)
    {
        keepAlive = request.KeepAlive;
        offset = 0;
        var w = new AsciiWriter(context.Output);
        StaticFileHead.Write(ref w, Tarpit.Server, context.Now, Tarpit.Article.Length, null, keepAlive, context.Random);
        WriteBody(ref context, w.Length, 0, Tarpit.Article);
        return SessionStep.After(Tarpit.NextInterval(context.Random));
    }

    protected override SessionStep Continue(ref SessionContext context)
    {
        offset += AcceptedBody(ref context);
        if (offset >= Tarpit.Article.Length)
        {
            return EndResponse(keepAlive);
        }

        WriteBody(ref context, 0, offset, Tarpit.Article);
        return SessionStep.After(Tarpit.NextInterval(context.Random));
    }
}
