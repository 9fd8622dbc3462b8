namespace Tarpit.Agent.Control;

/// <summary>One request on the control socket, one JSON line: <c>{"verb":"status"}</c>.</summary>
/// <param name="Verb">One of <see cref="Status"/>, <see cref="Sessions"/>, <see cref="Held"/>.</param>
internal sealed record ControlRequest(string Verb)
{
    /// <summary>The daemon's health: <see cref="StatusReport"/>.</summary>
    public const string Status = "status";

    /// <summary>Every held connection: <see cref="SessionReport"/>s.</summary>
    public const string Sessions = "sessions";

    /// <summary>Only how many are held now, per address: for <c>list</c>.</summary>
    public const string Held = "held";
}
