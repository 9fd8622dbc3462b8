namespace Tarpit.Tarpits.Http;

/// <summary>The error responses nginx sends for the requests a tarpit rejects or challenges.</summary>
internal enum HttpErrorPage
{
    BadRequest,
    HeaderTooLarge,
    UriTooLong,
    AuthorizationRequired,
    NotFound,
    NotAllowed,
    RangeNotSatisfiable,
    VersionNotSupported,

    /// <summary>nginx's 497 (a plain HTTP request on an <c>ssl</c> listener), sent as a 400 with its own page.</summary>
    PlainHttpToHttps,
}
