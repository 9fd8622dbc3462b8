using System.Text.Json.Serialization;

namespace Tarpit.Agent.Control;

/// <summary>The control socket's JSON, source-generated for Native AOT (no reflection): snake_case, one line each way.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ControlReply))]
[JsonSerializable(typeof(StatusReport))]
[JsonSerializable(typeof(List<SessionReport>))]
[JsonSerializable(typeof(string))]
internal sealed partial class ControlJson : JsonSerializerContext;
