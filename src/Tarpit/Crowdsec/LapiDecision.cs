using System.Text.Json.Serialization;

namespace Tarpit.Crowdsec;

/// <summary>
/// One decision as the LAPI sends it (<c>pkg/models/decision.go</c>: id, origin, type, scope, value, duration,
/// scenario, simulated, until). Every field is remote-controlled: <see cref="DecisionReader"/> bounds and checks them.
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

/// <summary><c>GET /v1/decisions/stream</c>: the decisions new since the last pull (all of them with <c>startup=true</c>) and those deleted or ended.</summary>
internal sealed class LapiDecisionStream
{
    [JsonPropertyName("new")]
    public List<LapiDecision>? New { get; set; }

    [JsonPropertyName("deleted")]
    public List<LapiDecision>? Deleted { get; set; }

    /// <summary>Set when a list was longer than <see cref="LapiClient.MaxDecisionsPerResponse"/> and was cut.</summary>
    [JsonIgnore]
    public bool Truncated { get; set; }
}
