using System.CommandLine;

namespace Tarpit.Agent.Commands;

/// <summary>The <c>--config FILE</c> option every verb shares.</summary>
internal static class ConfigOption
{
    public static Option<string> Create() => new("--config", "-c")
    {
        Description = "Path to tarpit.toml",
        DefaultValueFactory = _ => AgentCli.DefaultConfigPath,
    };
}
