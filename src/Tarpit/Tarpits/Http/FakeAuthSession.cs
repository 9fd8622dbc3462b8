namespace Tarpit.Tarpits.Http;

/// <summary>
/// <c>fake-auth</c>: every request gets a slow <c>401</c> with <c>WWW-Authenticate: Basic realm="…"</c> (the head
/// after a pause, the nginx 401 page dripped); on keep-alive the next request is read, and each offered credential is
/// decoded, escaped and published. At most <see cref="HttpTarpit.MaxRequestsPerConnection"/> requests per connection.
/// </summary>
internal sealed class FakeAuthSession(HttpTarpit tarpit) : HttpSession(tarpit)
{
    private int _offset;
    private bool _keepAlive;
    private bool _headSent;

    protected override SessionStep Begin(ref SessionContext context, HttpRequest request)
    {
        _keepAlive = request.KeepAlive;
        _headSent = false;
        _offset = 0;
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
        if (!_headSent)
        {
            _headSent = true;
            var w = new AsciiWriter(context.Output);
            NginxResponses.WriteStatusAndCore(ref w, "401 Unauthorized", Tarpit.Server, context.Now, "text/html");
            w.Append("Content-Length: "u8);
            w.Append(body.Length);
            w.EndLine();
            w.AppendLine("Connection", _keepAlive ? "keep-alive" : "close");
            w.Append("WWW-Authenticate: Basic realm=\""u8);
            w.Append(Tarpit.Realm);
            w.Append("\"\r\n\r\n"u8);
            WriteBody(ref context, w.Length, 0, body);
            return SessionStep.After(Tarpit.NextInterval(context.Random));
        }

        _offset += AcceptedBody(ref context);
        if (_offset >= body.Length)
        {
            return EndResponse(_keepAlive);
        }

        WriteBody(ref context, 0, _offset, body);
        return SessionStep.After(Tarpit.NextInterval(context.Random));
    }
}
