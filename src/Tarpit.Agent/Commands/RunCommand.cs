using System.CommandLine;
using Tarpit.Agent.Hosting;
using Tarpit.Config;

namespace Tarpit.Agent.Commands;

/// <summary>
/// <c>tarpit-agent run [--observe] --config FILE</c>: the daemon. The root command runs it too when given
/// <c>--config</c> (older command lines); a bare <c>tarpit-agent</c> prints help instead of starting a daemon that
/// would take the real ports 22/80/443 of the default config.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command(
            "run",
            "Run the agent in the foreground until SIGINT/SIGTERM. With --observe the firewall is never touched: it detects, " +
            "holds direct connections and logs what it would redirect.");
        Configure(command, bareShowsHelp: false);
        return command;
    }

    /// <summary>
    /// Adds <c>--config</c>, <c>--observe</c> and the daemon action to <paramref name="command"/> (the root and
    /// <c>run</c>). With <paramref name="bareShowsHelp"/> (the root), a command line without <c>--config</c> prints
    /// the help and exits <see cref="ExitCodes.Usage"/>.
    /// </summary>
    public static void Configure(Command command, bool bareShowsHelp)
    {
        ArgumentNullException.ThrowIfNull(command);
        var config = ConfigOption.Create();
        var observe = new Option<bool>("--observe")
        {
            Description = "Observe only: the firewall stays off whatever the config says (nothing is redirected, no table is created); " +
                "offenders are judged, stored and logged as \"would ban\", and the tarpits hold whoever connects to them directly",
        };
        command.Add(config);
        command.Add(observe);
        CliBoundary.SetAction(command, async (parseResult, cancellationToken) =>
        {
            if (bareShowsHelp && parseResult.GetResult(config) is not { Implicit: false })
            {
                return await ShowHelpAsync(parseResult, cancellationToken);
            }

            return await RunAsync(parseResult.GetValue(config) ?? AgentCli.DefaultConfigPath, parseResult.GetValue(observe), cancellationToken);
        });
    }

    /// <summary>
    /// Loads the config (an invalid one reaches the boundary on stderr: exit 78, nothing started), then runs the host
    /// through the boundary again with the daemon's log as its report, so a failure is logged once, in the journal and
    /// the event file, before the log closes.
    /// </summary>
    public static async Task<int> RunAsync(string configPath, bool observe, CancellationToken cancellationToken)
    {
        var config = ConfigLoader.Load(configPath);
        await using var log = AgentLogging.Create(config.Agent);
        return await CliBoundary.RunAsync(
            "run",
            log,
            token =>
            {
                CommandsLog.Starting(log, AgentCli.Version, config.SourcePath);
                return new AgentHost(config, log, TimeProvider.System, observe).RunAsync(token);
            },
            cancellationToken);
    }

    /// <summary>A bare <c>tarpit-agent</c>: the root help on stdout, one line on stderr saying how to start the daemon.</summary>
    private static async Task<int> ShowHelpAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var root = parseResult.RootCommandResult.Command;
        await root.Parse(["--help"]).InvokeAsync(parseResult.InvocationConfiguration, cancellationToken);
        await parseResult.InvocationConfiguration.Error.WriteLineAsync(
            "tarpit-agent: no verb given, so nothing was started. Try it first with: tarpit-agent run --observe --config FILE; " +
            "run the agent with: tarpit-agent run --config FILE.");
        return ExitCodes.Usage;
    }
}
