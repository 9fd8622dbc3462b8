namespace Tarpit.Tarpits.Http;

/// <summary>
/// <c>drip</c>: the site's page (<c>content_length</c> bytes) with a complete static-file head, then its body dripped
/// <c>drip_bytes</c> per interval; a Range gets its 206 and the range dripped, a missing path or a method nginx does not
/// serve gets nginx's 404 or 405 page, dripped. Also the bombs' fallback when the client accepts no compression.
/// </summary>
internal sealed class DripSession(HttpTarpit tarpit) : HttpSession(tarpit)
{
    protected override SessionStep Begin(ref SessionContext context, HttpRequest request) => StartStatic(ref context, request);

    /// <summary>Never called: <see cref="HttpSession.StartStatic"/> drips the whole response.</summary>
    protected override SessionStep Continue(ref SessionContext context) => SessionStep.Close;
}
