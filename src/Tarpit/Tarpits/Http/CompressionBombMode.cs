namespace Tarpit.Tarpits.Http;

/// <summary>
/// <c>gzip-bomb</c> / <c>deflate-bomb</c>: a small compressed body that inflates to <c>bomb_size</c> bytes of HTML,
/// dripped <c>drip_bytes</c> per interval. The coding follows the client's Accept-Encoding (the mode's own first,
/// then the other); a client accepting neither gets <c>drip</c>. The bomb is built once per process on a background
/// thread; clients that arrive before it is ready are held with endless-header lines.
/// </summary>
internal sealed class CompressionBombMode(HttpTarpit tarpit, BombEncoding preferred) : ITarpitMode
{
    public string Name => preferred == BombEncoding.Gzip ? "gzip-bomb" : "deflate-bomb";

    public ITarpitSession Open(in SessionOpen open) => new CompressionBombSession(tarpit, preferred);
}
