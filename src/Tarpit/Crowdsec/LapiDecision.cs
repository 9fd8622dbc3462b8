using System.Text.Json.Serialization;

namespace Tarpit.Crowdsec;

/// <summary>
/// One decision as the LAPI sends it (<c>pkg/models/decision.go</c>: id, origin, type, scope, value, duration,
/// scenario, simulated), as <see cref="DecisionStreamReader"/> reads it. Every field is remote-controlled: <see cref="DecisionReader"/> bounds and checks them.
/// </summary>
internal sealed class LapiDecision
{
    [JsonPropertyName("id")]
    public long Id { get; set; }

    [JsonPropertyName("origin")]
    public string? Origin { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("scope")]
    public string? Scope { get; set; }

    [JsonPropertyName("value")]
    public string? Value { get; set; }

    /// <summary>Go's <c>time.Duration</c> text of what is left: <c>"3h59m58.123456789s"</c>; negative once it ended.</summary>
    [JsonPropertyName("duration")]
    public string? Duration { get; set; }

    [JsonPropertyName("scenario")]
    public string? Scenario { get; set; }

    [JsonPropertyName("simulated")]
    public bool? Simulated { get; set; }
}
