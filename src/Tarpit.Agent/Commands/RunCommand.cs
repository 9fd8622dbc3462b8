using System.CommandLine;
using Tarpit.Agent.Hosting;
using Tarpit.Config;

namespace Tarpit.Agent.Commands;

/// <summary><c>tarpit-agent [run] --config FILE</c>: the daemon. Also the root command's own action.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Run the agent in the foreground until SIGINT/SIGTERM (the default verb).");
        Configure(command);
        return command;
    }

    /// <summary>Adds <c>--config</c> and the daemon action to <paramref name="command"/> (the root and <c>run</c>).</summary>
    public static void Configure(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var config = ConfigOption.Create();
        command.Add(config);
        CliBoundary.SetAction(command, (parseResult, cancellationToken) =>
            RunAsync(parseResult.GetValue(config) ?? AgentCli.DefaultConfigPath, cancellationToken));
    }

    /// <summary>
    /// Loads the config (an invalid one reaches the boundary on stderr: exit 78, nothing started), then runs the host
    /// through the boundary again with the daemon's log as its report, so a failure is logged once, in the journal and
    /// the event file, before the log closes.
    /// </summary>
    public static async Task<int> RunAsync(string configPath, CancellationToken cancellationToken)
    {
        var config = ConfigLoader.Load(configPath);
        await using var log = AgentLogging.Create(config.Agent);
        return await CliBoundary.RunAsync(
            "run",
            log,
            token =>
            {
                CommandsLog.Starting(log, AgentCli.Version, config.SourcePath);
                return new AgentHost(config, log, TimeProvider.System).RunAsync(token);
            },
            cancellationToken);
    }
}
