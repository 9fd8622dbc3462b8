namespace Tarpit.Tarpits.Http;

/// <summary>
/// <c>drip</c>: a complete static-file head promising <c>content_length</c> bytes, then a plausible HTML page dripped
/// <c>drip_bytes</c> per interval.
/// Also the bombs' fallback when the client accepts no compression.
/// </summary>
internal sealed class DripSession(HttpTarpit tarpit) : HttpSession(tarpit)
{
    private long _offset;
    private bool _keepAlive;

    protected override SessionStep Begin(ref SessionContext context, HttpRequest request)
    {
        _keepAlive = request.KeepAlive;
        _offset = 0;
        var w = new AsciiWriter(context.Output);
        StaticFileHead.Write(ref w, Tarpit.Server, context.Now, Tarpit.Article.Length, null, _keepAlive, context.Random);
        WriteBody(ref context, w.Length, 0, Tarpit.Article);
        return SessionStep.After(Tarpit.NextInterval(context.Random));
    }

    protected override SessionStep Continue(ref SessionContext context)
    {
        _offset += AcceptedBody(ref context);
        if (_offset >= Tarpit.Article.Length)
        {
            return EndResponse(_keepAlive);
        }

        WriteBody(ref context, 0, _offset, Tarpit.Article);
        return SessionStep.After(Tarpit.NextInterval(context.Random));
    }
}
