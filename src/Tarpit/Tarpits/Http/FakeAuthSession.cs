namespace Tarpit.Tarpits.Http;

/// <summary>
/// <c>fake-auth</c>: every request gets a slow <c>401</c> with <c>WWW-Authenticate: Basic realm="…"</c>: the head and
/// the nginx 401 page are dripped <c>drip_bytes</c> per interval from the first byte of the status line, so a password
/// guesser that only needs the status line (hydra's <c>http-get</c>) is still held per attempt. On keep-alive the next
/// request is read (a scanner that reads responses whole gets the 401 at speed), and each offered credential is decoded, escaped and published at once. At most
/// <see cref="HttpTarpit.MaxRequestsPerConnection"/> requests per connection.
/// A session keeps the response it is dripping (head + page, a few hundred bytes) and an offset into it.
/// </summary>
internal sealed class FakeAuthSession(HttpTarpit tarpit) : HttpSession(tarpit)
{
    private byte[] _response = [];
    private int _offset;
    private bool _keepAlive;

    protected override SessionStep Begin(ref SessionContext context, HttpRequest request)
    {
        _keepAlive = request.KeepAlive;
        _offset = 0;
        if (request.User is { } user)
        {
            context.Publish("auth.user", user);
            context.Publish("auth.password", request.Password ?? "");
        }

        var body = Tarpit.AuthorizationBody;
        var w = new AsciiWriter(context.Output);
        NginxResponses.WriteStatusAndCore(ref w, "401 Unauthorized", Tarpit.Server, context.Now, "text/html");
        w.Append("Content-Length: "u8);
        w.Append(body.Length);
        w.EndLine();
        w.AppendLine("Connection", _keepAlive ? "keep-alive" : "close");
        w.Append("WWW-Authenticate: Basic realm=\""u8);
        w.Append(Tarpit.Realm);
        w.Append("\"\r\n\r\n"u8);
        _response = [.. context.Output[..w.Length], .. body];
        context.Written = 0;
        return SessionStep.After(NextStep(ref context));
    }

    protected override SessionStep Continue(ref SessionContext context)
    {
        _offset += AcceptedBody(ref context);
        if (_offset >= _response.Length)
        {
            _response = [];
            return EndResponse(_keepAlive);
        }

        WriteBody(ref context, 0, _offset, _response);
        return SessionStep.After(NextStep(ref context));
    }
}
