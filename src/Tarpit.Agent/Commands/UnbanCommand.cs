using System.CommandLine;
using Tarpit.Agent.Hosting;
using Tarpit.Config;
using Tarpit.Firewall;

namespace Tarpit.Agent.Commands;

/// <summary><c>tarpit-agent unban ADDR[/PREFIX]</c>: stop redirecting now; the ban stays in the history.</summary>
internal static class UnbanCommand
{
    public static Command Create()
    {
        var config = ConfigOption.Create();
        var target = new Argument<string>("target") { Description = "The address or network as it was banned" };
        var command = new Command("unban", "Stop redirecting an address now (its history is kept). Exits 1 when it was not banned.")
        {
            target, config,
        };
        CliBoundary.SetAction(command, (parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(config) ?? AgentCli.DefaultConfigPath,
            parseResult.GetValue(target) ?? "",
            parseResult.InvocationConfiguration.Output,
            cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string configPath, string targetText, TextWriter output, CancellationToken cancellationToken)
    {
        var target = BanCommand.ParseTargets([targetText])[0];
        var loaded = ConfigLoader.Load(configPath);
        using var log = BanCommand.CliLog();
        using var session = AdminSession.Open(loaded, log, TimeProvider.System);
        session.CheckFirewall();
        var (unbanned, message) = await session.UnbanAsync(target, cancellationToken);
        try
        {
            await session.FlushAsync(cancellationToken);
        }
        catch (FirewallException ex)
        {
            throw new OperatorException($"the unban is stored, but nft failed: {ex.Message}", ex, ExitCodes.Failure);
        }

        await output.WriteLineAsync(message);
        return unbanned ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
