namespace Tarpit.Tarpits.Http;

/// <summary>The content codings a client accepts (from <c>Accept-Encoding</c>, RFC 9110 §12.5.3) that a bomb can use.</summary>
[Flags]
internal enum ContentCodings : byte
{
    None = 0,
    Gzip = 1,
    Deflate = 2,
}
