namespace Tarpit.Tarpits.Http;

/// <summary>What a default nginx site answers a well-formed request (<see cref="HttpRequest.Answer"/>).</summary>
internal enum StaticAnswer : byte
{
    /// <summary>200 (206 with a satisfiable Range): the page.</summary>
    Page,

    /// <summary>404 Not Found.</summary>
    NotFound,

    /// <summary>405 Not Allowed.</summary>
    NotAllowed,
}
