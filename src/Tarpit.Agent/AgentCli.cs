using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace Tarpit.Agent;

/// <summary>
/// The <c>tarpit-agent</c> command line: one file per verb under Commands/, each run through <see cref="CliBoundary"/>,
/// every exit code from <see cref="ExitCodes"/>.
/// </summary>
internal static class AgentCli
{
    public const string DefaultConfigPath = "/etc/tarpit/tarpit.toml";

    /// <summary><c>Main</c>: SIGINT and SIGTERM are <see cref="TerminationSignals"/>', never System.CommandLine's forced exit.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        using var signals = TerminationSignals.Listen(CancellationToken.None);
        return await InvokeAsync(args, new InvocationConfiguration { ProcessTerminationTimeout = null }, signals.Token);
    }

    /// <summary>
    /// Parses and runs one command line. A parse error (unknown option or verb, missing or extra argument) is printed
    /// as System.CommandLine prints it (the errors on stderr, then the verb's help) but exits
    /// <see cref="ExitCodes.Usage"/> like a verb's own usage errors, not System.CommandLine's 1.
    /// </summary>
    public static async Task<int> InvokeAsync(IReadOnlyList<string> args, InvocationConfiguration configuration, CancellationToken cancellationToken)
    {
        var parseResult = Build().Parse(args);
        var exitCode = await parseResult.InvokeAsync(configuration, cancellationToken);
        return parseResult.Action is ParseErrorAction ? ExitCodes.Usage : exitCode;
    }

    public static RootCommand Build()
    {
        var root = new RootCommand(
            "tarpit-agent: redirects repeat offenders into slow SSH, HTTP and TLS tarpits.\n\n" +
            "Examples:\n" +
            "  tarpit-agent run --observe --config tarpit.toml   try it: detect and hold, never touch the firewall\n" +
            "  tarpit-agent run --config tarpit.toml             run the agent: redirect banned sources into the tarpits\n" +
            "  tarpit-agent check --config tarpit.toml           validate a config and print what it means\n" +
            "  tarpit-agent status --config tarpit.toml          is the running agent healthy?\n\n" +
            ExitCodes.Table);
        Commands.RunCommand.Configure(root, bareShowsHelp: true);
        root.Add(Commands.RunCommand.Create());
        root.Add(Commands.CheckCommand.Create());
        root.Add(Commands.BanCommand.Create());
        root.Add(Commands.UnbanCommand.Create());
        root.Add(Commands.ListCommand.Create());
        root.Add(Commands.ShowCommand.Create());
        root.Add(Commands.StatusCommand.Create());
        root.Add(Commands.SessionsCommand.Create());
        root.Add(Commands.TestFilterCommand.Create());
        return root;
    }

    public static string Version =>
        typeof(AgentCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
