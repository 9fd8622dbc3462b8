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
}
