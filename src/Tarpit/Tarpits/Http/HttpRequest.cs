namespace Tarpit.Tarpits.Http;

/// <summary>
/// A parsed HTTP/1.x request head. Every string came from the client and is already escaped and truncated with
/// <see cref="Text.AttackerText"/>; the raw bytes are not kept.
/// </summary>
/// <param name="MinorVersion">1 for HTTP/1.1, 0 for HTTP/1.0.</param>
/// <param name="Codings">Bomb-capable codings the client accepts.</param>
/// <param name="User">From <c>Authorization: Basic</c> (RFC 7617), escaped; null when absent or not Basic.</param>
/// <param name="Password">From <c>Authorization: Basic</c>, escaped; null when absent or not Basic.</param>
/// <param name="KeepAlive">The connection persists after the response (RFC 9112 §9.3).</param>
/// <param name="HeadLength">Bytes of the head including its final empty line.</param>
/// <param name="IsIndex">The target resolves to the site's one page (<c>/</c>, <c>/index.html</c>; <see cref="RequestTarget"/>).</param>
/// <param name="Range">A single byte range asked for, or null.</param>
internal sealed record HttpRequest(
    string Method,
    string Target,
    int MinorVersion,
    string? Host,
    string? UserAgent,
    ContentCodings Codings,
    string? User,
    string? Password,
    bool KeepAlive,
    int HeadLength,
    bool IsIndex = true,
    ByteRange? Range = null)
{
    /// <summary>The head's forwarding fields (raw), null when it had none; trusted only from a trusted proxy.</summary>
    public ForwardingFields? Forwarding { get; init; }

    /// <summary>The body length Content-Length announced (never read), null when none or not a number.</summary>
    public long? ContentLength { get; init; }

    /// <summary>The head's fields for the capture, escaped and bounded (<see cref="HeaderCapture"/>); empty when built by hand.</summary>
    public CapturedHeaders Headers { get; init; } = CapturedHeaders.None;

    /// <summary>Field lines the head had (<see cref="Headers"/> keeps at most <see cref="HeaderCapture.MaxHeaders"/>).</summary>
    public int HeadersSeen { get; init; }

    public bool IsHead => Method == "HEAD";

    /// <summary>
    /// What nginx's index and static modules answer for the method and path (GET and HEAD of the page: 200; POST of the
    /// page: 405; GET, HEAD, POST of anything else: 404; any other method: 405).
    /// </summary>
    public StaticAnswer Answer => Method switch
    {
        "GET" or "HEAD" => IsIndex ? StaticAnswer.Page : StaticAnswer.NotFound,
        "POST" => IsIndex ? StaticAnswer.NotAllowed : StaticAnswer.NotFound,
        _ => StaticAnswer.NotAllowed,
    };
}
