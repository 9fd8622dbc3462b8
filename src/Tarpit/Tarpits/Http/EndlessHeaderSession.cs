namespace Tarpit.Tarpits.Http;

/// <summary>
/// <c>endless-header</c>: a current nginx status line and headers, then one plausible header line per interval,
/// forever; the header block never ends, so a client never reaches a body. One session per connection.
/// </summary>
internal sealed class EndlessHeaderSession(HttpTarpit tarpit) : HttpSession(tarpit)
{
    protected override SessionStep Begin(ref SessionContext context, HttpRequest request)
    {
        var w = new AsciiWriter(context.Output);
        NginxResponses.WriteStatusAndCore(ref w, "200 OK", Tarpit.Server, context.Now, context.Random.Next(2) == 0 ? "text/html" : "text/html; charset=utf-8");
        w.AppendLine("Connection", "keep-alive");
        context.Written = w.Length;
        ResetNoiseLine();
        return SessionStep.After(Tarpit.NextInterval(context.Random));
    }

    protected override SessionStep Continue(ref SessionContext context)
    {
        WriteNoiseLine(ref context);
        return SessionStep.After(Tarpit.NextInterval(context.Random));
    }
}
