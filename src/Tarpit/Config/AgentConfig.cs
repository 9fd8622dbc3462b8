using Serilog.Events;

namespace Tarpit.Config;

/// <summary><c>[agent]</c>: where state and logs live.</summary>
internal sealed record AgentConfig(
    string StateDir,
    string? LogFile,
    LogEventLevel LogLevel)
{
    public static AgentConfig Defaults(string configDir) => new(
        Path.GetFullPath("state", configDir),
        Path.GetFullPath(Path.Combine("state", "events.jsonl"), configDir),
        LogEventLevel.Information);
}
