namespace Tarpit.Tarpits.Http;

/// <summary>One <see cref="EndlessHeader"/> connection: after the request, the head's first lines, then noise lines.</summary>
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
