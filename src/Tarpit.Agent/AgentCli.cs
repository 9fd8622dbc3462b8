using System.CommandLine;
using System.Reflection;

namespace Tarpit.Agent;

/// <summary>The <c>tarpit-agent</c> command line: one file per verb under Commands/.</summary>
internal static class AgentCli
{
    public const string DefaultConfigPath = "/etc/tarpit/tarpit.toml";

    public static async Task<int> RunAsync(string[] args)
    {
        var root = Build();
        return await root.Parse(args).InvokeAsync();
    }

    public static RootCommand Build()
    {
        var root = new RootCommand(
            "tarpit-agent: redirects repeat offenders into slow SSH, HTTP and TLS tarpits.\n\n" +
            "Examples:\n" +
            "  tarpit-agent --config tarpit.toml          run the agent (the default verb)\n" +
            "  tarpit-agent check --config tarpit.toml    validate a config and print what it means");
        Commands.RunCommand.Configure(root);
        root.Add(Commands.RunCommand.Create());
        root.Add(Commands.CheckCommand.Create());
        root.Add(Commands.BanCommand.Create());
        root.Add(Commands.UnbanCommand.Create());
        root.Add(Commands.ListCommand.Create());
        root.Add(Commands.TestFilterCommand.Create());
        return root;
    }

    public static string Version =>
        typeof(AgentCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
