namespace Tarpit.Tarpits.Http;

/// <summary>The content coding of a compression bomb.</summary>
internal enum BombEncoding
{
    /// <summary><c>Content-Encoding: gzip</c>: RFC 1952 (RFC 9110 §8.4.1.3).</summary>
    Gzip,

    /// <summary><c>Content-Encoding: deflate</c>: a zlib stream, RFC 1950 (RFC 9110 §8.4.1.2).</summary>
    Deflate,
}
