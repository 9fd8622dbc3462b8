namespace Tarpit.Config;

/// <summary>HTTP-only keys of a <c>[[tarpit]]</c> table.</summary>
/// <param name="ContentLength"><c>drip</c>: the Content-Length promised (bytes).</param>
/// <param name="BombSize"><c>gzip-bomb</c>/<c>deflate-bomb</c>: the inflated size of the document (bytes).</param>
/// <param name="Realm"><c>fake-auth</c>: the Basic realm.</param>
internal sealed record HttpTarpitOptions(long ContentLength, long BombSize, string Realm);
