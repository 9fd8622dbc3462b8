using System.CommandLine;
using Tarpit.Bans;
using Tarpit.Config;
using Tarpit.Firewall;
using Tarpit.Net;

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
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                return await RunAsync(
                    parseResult.GetValue(config) ?? AgentCli.DefaultConfigPath,
                    parseResult.GetValue(target) ?? "",
                    parseResult.InvocationConfiguration.Output,
                    cancellationToken);
            }
            catch (ConfigException ex)
            {
                await error.WriteLineAsync(ex.Message);
                return ConfigException.ExitCode;
            }
            catch (OperatorException ex)
            {
                await error.WriteLineAsync("tarpit-agent unban: " + ex.Message);
                return ex.ExitCode;
            }
        });
        return command;
    }

    public static async Task<int> RunAsync(string configPath, string targetText, TextWriter output, CancellationToken cancellationToken)
    {
        var target = BanCommand.ParseTargets([targetText])[0];
        var loaded = ConfigLoader.Load(configPath);
        using var log = BanCommand.CliLog();
        using var session = AdminSession.Open(loaded, log, TimeProvider.System);
        session.CheckFirewall();
        var (unbanned, message) = await session.Bans.UnbanAsync(target, cancellationToken);
        if (!unbanned && !session.Observing && (await ReadAsync(session, cancellationToken))?.Any(e => e.Target == target) == true)
        {
            // In the kernel set but not in the store (added by hand or by an older store): lift it all the same.
            await session.Batcher.SubmitAsync(FirewallChange.Remove(target), cancellationToken);
            (unbanned, message) = (true, $"unbanned {NetworkText.Format(target)} (it was in the nft set only)");
        }

        try
        {
            await session.FlushAsync(cancellationToken);
        }
        catch (FirewallException ex)
        {
            throw new OperatorException($"the unban is stored, but nft failed: {ex.Message}", ex, 1);
        }

        await output.WriteLineAsync(message);
        return unbanned ? 0 : 1;
    }

    private static async Task<IReadOnlyList<FirewallElement>?> ReadAsync(AdminSession session, CancellationToken cancellationToken)
    {
        try
        {
            return await session.Firewall.ReadOffendersAsync(cancellationToken);
        }
        catch (FirewallException ex)
        {
            throw new OperatorException(ex.Message, ex, 1);
        }
    }
}
