namespace Tarpit.Agent.Control;

/// <summary>One reply on the control socket, one JSON line; the member the request asked for is set, or <see cref="Error"/>.</summary>
internal sealed record ControlReply(
    string? Error = null,
    StatusReport? Status = null,
    IReadOnlyList<SessionReport>? Sessions = null,
    IReadOnlyList<HeldCount>? Held = null);
