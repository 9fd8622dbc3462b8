namespace Tarpit.Tarpits.Http;

/// <summary>What <see cref="HttpRequestParser.Parse"/> made of the bytes so far.</summary>
internal enum HttpParseStatus
{
    /// <summary>A valid prefix of a request head: wait for more bytes.</summary>
    Incomplete,

    /// <summary>A complete, valid HTTP/1.x request head.</summary>
    Complete,

    /// <summary>Not HTTP/1.x (or a malformed request): nginx answers 400 Bad Request.</summary>
    BadRequest,

    /// <summary>The request line is longer than nginx's large header buffer: nginx answers 414.</summary>
    UriTooLong,

    /// <summary>An HTTP version other than 1.x (e.g. <c>HTTP/3.0</c> in a text request line): nginx answers 505.</summary>
    VersionNotSupported,

    /// <summary>A header line or the whole head is over the bound: nginx answers 400 "Request Header Or Cookie Too Large".</summary>
    HeaderTooLarge,
}
