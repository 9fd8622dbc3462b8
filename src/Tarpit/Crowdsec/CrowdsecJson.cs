using System.Text.Json.Serialization;

namespace Tarpit.Crowdsec;

/// <summary>The LAPI's JSON, source-generated for Native AOT (no reflection).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LapiLogin))]
[JsonSerializable(typeof(LapiLoginAnswer))]
[JsonSerializable(typeof(List<LapiAlert>))]
internal sealed partial class CrowdsecJson : JsonSerializerContext;
