namespace Tarpit.Tarpits;

/// <summary>
/// The Details keys of a request capture (issue 19 §2): each is <see cref="SessionContext.Publish"/>ed once per
/// captured request (HTTP) or handshake (TLS, SSH), its value one JSON object composed by the protocol's session from
/// escaped text (<see cref="CaptureJson"/>), so the capture leaves as an Observed event as soon as it is read. The store
/// keeps one row per such event. The engine does not keep it with the connection (a held connection costs nothing per
/// request it read), so the Closed event's Details do not repeat it.
/// </summary>
internal static class CaptureKeys
{
    public const string Http = "capture.http";

    public const string Tls = "capture.tls";

    public const string Ssh = "capture.ssh";

    /// <summary>The protocol name stored with a capture, or null for a key that is no capture.</summary>
    public static string? ProtocolOf(string? key) => key switch
    {
        Http => "http",
        Tls => "tls",
        Ssh => "ssh",
        _ => null,
    };
}
