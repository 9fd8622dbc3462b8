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
        command.SetAction((parseResult, cancellationToken) =>
            RunAsync(parseResult.GetValue(config) ?? AgentCli.DefaultConfigPath, cancellationToken));
    }

    public static async Task<int> RunAsync(string configPath, CancellationToken cancellationToken)
    {
        ConfigFile config;
        try
        {
            config = ConfigLoader.Load(configPath);
        }
        catch (ConfigException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return ConfigException.ExitCode;
        }

        await using var log = AgentLogging.Create(config.Agent);
        try
        {
            log.Information("tarpit-agent {Version} starting with {ConfigPath}", AgentCli.Version, config.SourcePath);
            return await new AgentHost(config, log, TimeProvider.System).RunAsync(cancellationToken);
        }
        catch (OperatorException ex)
        {
            log.Error("{Message}", ex.Message);
            return ex.ExitCode;
        }
        catch (Exception ex)
        {
            log.Fatal(ex, "tarpit-agent failed");
            return 70;
        }
    }
}
