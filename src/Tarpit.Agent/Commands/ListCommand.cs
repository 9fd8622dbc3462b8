using System.CommandLine;
using System.Net;
using Tarpit.Agent.Control;
using Tarpit.Agent.Hosting;
using Tarpit.Agent.Listing;
using Tarpit.Config;

namespace Tarpit.Agent.Commands;

/// <summary>
/// <c>tarpit-agent list [ADDR|CIDR] [--json] [--wide] [--all] [--country XX] [--asn N] [--source NAME] [--since WHEN]
/// [--limit N]</c>: who is redirected now (the kernel set joined with the store), with the country and AS stored at
/// ban time, and, when the daemon runs, the connections it holds now from each.
/// </summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var config = ConfigOption.Create();
        var search = new Argument<string?>("ADDR|CIDR") { Description = "Only bans that overlap this address or network", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Print a JSON array for scripts (fields documented in BanListJson), every field in full" };
        var wide = new Option<bool>("--wide") { Description = "Every column in full, the reason as stored: lines as long as they need" };
        var all = new Option<bool>("--all") { Description = "Include expired and lifted bans (the history)" };
        var country = new Option<string?>("--country") { Description = "Only bans from this country (ISO 3166-1 alpha-2, e.g. NL)" };
        var asn = new Option<string?>("--asn") { Description = "Only bans from this autonomous system (1-4294967295, e.g. 64496)" };
        var source = new Option<string?>("--source") { Description = "Only bans from this source: a watch's name, fail2ban, admin, decoy, crowdsec:ORIGIN (crowdsec: every fleet decision), …" };
        var since = new Option<string?>("--since") { Description = "Only bans made since then: a duration back (1h, 2d) or a date (2026-12-01, 2026-12-01T08:00)" };
        var limit = new Option<int?>("--limit") { Description = "At most this many bans, the newest" };
        var command = new Command("list", "Show the redirected addresses, newest first: source, reason, time left, sessions, time trapped, held now.")
        {
            search, json, wide, all, country, asn, source, since, limit, config,
        };
        CliBoundary.SetAction(command, (parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(config) ?? AgentCli.DefaultConfigPath,
            parseResult.GetValue(json),
            parseResult.GetValue(all),
            BanListFilter.Parse(
                parseResult.GetValue(country),
                parseResult.GetValue(asn),
                parseResult.GetValue(source),
                parseResult.GetValue(since),
                parseResult.GetValue(search),
                parseResult.GetValue(limit),
                TimeProvider.System.GetUtcNow()),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            cancellationToken,
            parseResult.GetValue(wide)));
        return command;
    }

    public static async Task<int> RunAsync(string configPath, bool json, bool all, BanListFilter filter, TextWriter output, TextWriter error, CancellationToken cancellationToken, bool wide = false)
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

        var listed = filter.Apply(bans);
        var held = await HeldNowAsync(loaded, cancellationToken);
        if (json)
        {
            using var stream = new MemoryStream();
            BanListJson.Write(stream, listed, held);
            await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
            return ExitCodes.Ok;
        }

        var width = Console.IsOutputRedirected ? BanTable.RedirectedWidth : Math.Max(Console.WindowWidth, 40);
        BanTable.Write(output, listed, all, now, width, held, wide);
        return ExitCodes.Ok;
    }

    /// <summary>Connections the running daemon holds now, per address; null when no daemon answers (then list says nothing about them).</summary>
    internal static async Task<IReadOnlyDictionary<IPAddress, int>?> HeldNowAsync(ConfigFile config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ControlReply? reply;
        try
        {
            reply = await ControlClient.AskAsync(ControlSocket.PathIn(config.Agent.StateDir), new ControlRequest(ControlRequest.Held), cancellationToken);
        }
        catch (OperatorException)
        {
            // A daemon that cannot be asked (busy, permission) costs list nothing but the column.
            return null;
        }

        return reply?.Held?
            .Where(h => IPAddress.TryParse(h.Address, out _))
            .GroupBy(h => IPAddress.Parse(h.Address))
            .ToDictionary(g => g.Key, g => g.Sum(h => h.Connections));
    }
}
