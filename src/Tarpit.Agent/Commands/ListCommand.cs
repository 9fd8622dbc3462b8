using System.CommandLine;
using Tarpit.Agent.Hosting;
using Tarpit.Agent.Listing;
using Tarpit.Config;

namespace Tarpit.Agent.Commands;

/// <summary>
/// <c>tarpit-agent list [--json] [--all] [--country XX] [--asn N]</c>: who is redirected now (the kernel set joined
/// with the store), with the country and AS stored at ban time.
/// </summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var config = ConfigOption.Create();
        var json = new Option<bool>("--json") { Description = "Print a JSON array for scripts (fields documented in BanListJson)" };
        var all = new Option<bool>("--all") { Description = "Include expired and lifted bans (the history)" };
        var country = new Option<string?>("--country") { Description = "Only bans from this country (ISO 3166-1 alpha-2, e.g. NL)" };
        var asn = new Option<string?>("--asn") { Description = "Only bans from this autonomous system (1-4294967295, e.g. 64496)" };
        var command = new Command("list", "Show the redirected addresses, newest first: source, reason, time left, sessions, time trapped.")
        {
            json, all, country, asn, config,
        };
        CliBoundary.SetAction(command, (parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(config) ?? AgentCli.DefaultConfigPath,
            parseResult.GetValue(json),
            parseResult.GetValue(all),
            BanListFilter.Parse(parseResult.GetValue(country), parseResult.GetValue(asn)),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string configPath, bool json, bool all, BanListFilter filter, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var loaded = ConfigLoader.Load(configPath);
        using var log = BanCommand.CliLog();
        using var session = AdminSession.Open(loaded, log, TimeProvider.System);
        var now = TimeProvider.System.GetUtcNow();
        var (bans, storeOnlyReason) = await session.ListAsync(all, now, cancellationToken);
        if (storeOnlyReason is not null)
        {
            await error.WriteLineAsync(storeOnlyReason);
        }

        var listed = bans.Where(filter.Matches).ToList();
        if (json)
        {
            using var stream = new MemoryStream();
            BanListJson.Write(stream, listed);
            await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
            return ExitCodes.Ok;
        }

        var width = Console.IsOutputRedirected ? BanTable.RedirectedWidth : Math.Max(Console.WindowWidth, 40);
        BanTable.Write(output, listed, all, now, width);
        return ExitCodes.Ok;
    }
}
