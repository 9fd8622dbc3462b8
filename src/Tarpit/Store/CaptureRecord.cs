using System.Net;

namespace Tarpit.Store;

/// <summary>One request capture of a tarpit connection (<c>Tarpits/CaptureKeys</c>), stored as it was observed.</summary>
/// <param name="Protocol">http, tls or ssh.</param>
/// <param name="ConnectionStartedAt">When the connection was accepted: its session row's <c>started_at</c> once it closes.</param>
/// <param name="Capture">A JSON object of escaped text, composed by the tarpit.</param>
internal sealed record CaptureRecord(
    IPAddress Address,
    string Tarpit,
    string Protocol,
    DateTimeOffset CapturedAt,
    DateTimeOffset ConnectionStartedAt,
    string Capture);
