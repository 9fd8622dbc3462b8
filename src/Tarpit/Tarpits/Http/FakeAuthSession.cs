namespace Tarpit.Tarpits.Http;

/// <summary>
/// <c>fake-auth</c>: every request gets a slow <c>401</c> with <c>WWW-Authenticate: Basic realm="…"</c> (the head
/// after a pause, the nginx 401 page dripped); on keep-alive the next request is read, and each offered credential is
/// decoded, escaped and published. At most <see cref="HttpTarpit.MaxRequestsPerConnection"/> requests per connection.
/// </summary>
internal sealed class FakeAuthSession(HttpTarpit tarpit) : HttpSession(tarpit)
{
    private int offset;
    private bool keepAlive;
    private bool headSent;

    protected override SessionStep Begin(ref SessionContext context, HttpRequest request)
    {
        keepAlive = request.KeepAlive;
        headSent = false;
        offset = 0;
        if (request.User is { } user)
        {
            context.Publish("auth.user", user);
            context.Publish("auth.password", request.Password ?? "");
        }

        return SessionStep.After(Tarpit.NextInterval(context.Random));
    }

    protected override SessionStep Continue(ref SessionContext context)
    {
        var body = Tarpit.AuthorizationBody;
        if (!headSent)
        {
            headSent = true;
            var w = new AsciiWriter(context.Output);
            NginxResponses.WriteStatusAndCore(ref w, "401 Unauthorized", Tarpit.Server, context.Now, "text/html");
            w.Append("Content-Length: "u8);
            w.Append(body.Length);
            w.EndLine();
            w.AppendLine("Connection", keepAlive ? "keep-alive" : "close");
            w.Append("WWW-Authenticate: Basic realm=\""u8);
            w.Append(Tarpit.Realm);
            w.Append("\"\r\n\r\n"u8);
            WriteBody(ref context, w.Length, 0, body);
            return SessionStep.After(Tarpit.NextInterval(context.Random));
        }

        offset += AcceptedBody(ref context);
        if (offset >= body.Length)
        {
            return EndResponse(keepAlive);
        }

        WriteBody(ref context, 0, offset, body);
        return SessionStep.After(Tarpit.NextInterval(context.Random));
    }
}
