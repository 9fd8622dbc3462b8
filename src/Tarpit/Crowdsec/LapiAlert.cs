using System.Text.Json.Serialization;

namespace Tarpit.Crowdsec;

/// <summary><c>POST /v1/watchers/login</c>'s body (<c>pkg/models/watcher_auth_request.go</c>).</summary>
internal sealed class LapiLogin
{
    [JsonPropertyName("machine_id")]
    public string MachineId { get; set; } = "";

    [JsonPropertyName("password")]
    public string Password { get; set; } = "";

    [JsonPropertyName("scenarios")]
    public List<string> Scenarios { get; set; } = [];
}

/// <summary>Its answer: a JWT for the <c>Authorization: Bearer</c> header, valid until <c>expire</c>.</summary>
internal sealed class LapiLoginAnswer
{
    [JsonPropertyName("code")]
    public int Code { get; set; }

    [JsonPropertyName("token")]
    public string? Token { get; set; }
}

/// <summary>One alert of <c>POST /v1/alerts</c> (<c>pkg/models/alert.go</c>: every required field), carrying its one decision.</summary>
internal sealed class LapiAlert
{
    [JsonPropertyName("scenario")]
    public string Scenario { get; set; } = "";

    [JsonPropertyName("scenario_hash")]
    public string ScenarioHash { get; set; } = "";

    [JsonPropertyName("scenario_version")]
    public string ScenarioVersion { get; set; } = "";

    [JsonPropertyName("message")]
    public string Message { get; set; } = "";

    [JsonPropertyName("capacity")]
    public int Capacity { get; set; }

    [JsonPropertyName("leakspeed")]
    public string Leakspeed { get; set; } = "0s";

    [JsonPropertyName("events_count")]
    public int EventsCount { get; set; } = 1;

    [JsonPropertyName("events")]
    public List<LapiEvent> Events { get; set; } = [];

    [JsonPropertyName("simulated")]
    public bool Simulated { get; set; }

    [JsonPropertyName("remediation")]
    public bool Remediation { get; set; } = true;

    [JsonPropertyName("start_at")]
    public string StartAt { get; set; } = "";

    [JsonPropertyName("stop_at")]
    public string StopAt { get; set; } = "";

    [JsonPropertyName("source")]
    public LapiSource Source { get; set; } = new();

    [JsonPropertyName("decisions")]
    public List<LapiDecision> Decisions { get; set; } = [];
}

/// <summary>An alert's event: one, with its time and the ban's source as meta.</summary>
internal sealed class LapiEvent
{
    [JsonPropertyName("timestamp")]
    public string Timestamp { get; set; } = "";

    [JsonPropertyName("meta")]
    public List<LapiMeta> Meta { get; set; } = [];
}

internal sealed class LapiMeta
{
    [JsonPropertyName("key")]
    public string Key { get; set; } = "";

    [JsonPropertyName("value")]
    public string Value { get; set; } = "";
}

/// <summary>The alert's source: <c>Ip</c> with <c>ip</c>, or <c>Range</c> with <c>range</c>.</summary>
internal sealed class LapiSource
{
    [JsonPropertyName("scope")]
    public string Scope { get; set; } = "Ip";

    [JsonPropertyName("value")]
    public string Value { get; set; } = "";

    [JsonPropertyName("ip")]
    public string? Ip { get; set; }

    [JsonPropertyName("range")]
    public string? Range { get; set; }
}
