using Tarpit.Tarpits.Http;

namespace Tarpit.Tarpits.Tls;

/// <summary>
/// A client that spoke plain HTTP to the TLS port. nginx looks at the first byte of an <c>ssl</c> listener's
/// connection (<c>ngx_http_ssl_handshake</c>): 0x16 (a TLS record) or a set high bit (an SSLv2 hello) starts TLS, anything
/// else is read as HTTP; a malformed request gets its usual error, a well-formed one its 497 page ("The plain HTTP request
/// was sent to HTTPS port", status 400), and the connection closes. The HTTP head is read as the HTTP tarpits read it.
/// </summary>
internal sealed class PlainHttpSession(HttpTarpit tarpit) : HttpSession(tarpit)
{
    protected override SessionStep Begin(ref SessionContext context, HttpRequest request)
    {
        context.Written = NginxResponses.WriteError(context.Output, HttpErrorPage.PlainHttpToHttps, Tarpit.Server, context.Now);
        return SessionStep.Close;
    }

    /// <summary>Never called: <see cref="Begin"/> answers and closes.</summary>
    protected override SessionStep Continue(ref SessionContext context) => SessionStep.Close;

    /// <summary>nginx's test on the first byte of an <c>ssl</c> listener's connection: not a TLS record, not an SSLv2 hello.</summary>
    public static bool StartsPlainHttp(byte first) => first != TlsRecord.Handshake && (first & 0x80) == 0;
}
