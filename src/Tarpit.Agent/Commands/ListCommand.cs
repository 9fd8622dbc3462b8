using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Tarpit.Agent.Hosting;
using Tarpit.Agent.Listing;
using Tarpit.Config;
using Tarpit.Net;

namespace Tarpit.Agent.Commands;

/// <summary>
/// <c>tarpit-agent list [--json] [--all] [--country XX] [--asn N]</c>: who is redirected now (the kernel set joined
/// with the store), with the country and AS stored at ban time.
/// </summary>
internal static class ListCommand
{
    private const int RedirectedWidth = 200;

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

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        if (Console.IsOutputRedirected)
        {
            // Piped into a file or a pager: no terminal width to respect, so do not wrap every cell.
            console.Profile.Width = RedirectedWidth;
        }

        console.Write(Table(listed, all, now));
        return ExitCodes.Ok;
    }

    private static Table Table(List<ListedBan> listed, bool all, DateTimeOffset now)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in new[] { "Address", "Country", "ASN", "Source", "Reason", "Banned since", "Expires in", "Bans", "Sessions", "Trapped", "Bytes sent" })
        {
            table.AddColumn(column);
        }

        foreach (var ban in listed)
        {
            var row = ban.Row;
            table.AddRow(
                new Spectre.Console.Text(NetworkText.Format(row.Target)),
                new Spectre.Console.Text(row.Geo?.CountryCode ?? "-"),
                new Spectre.Console.Text(Asn(row.Geo)),
                new Spectre.Console.Text(row.Source),
                new Spectre.Console.Text(row.Reason),
                new Spectre.Console.Text(row.BannedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
                new Spectre.Console.Text(ExpiresIn(ban)),
                new Spectre.Console.Text(row.BanCount.ToString(CultureInfo.InvariantCulture)),
                new Spectre.Console.Text(row.Sessions.ToString(CultureInfo.InvariantCulture)),
                new Spectre.Console.Text(DurationSyntax.Format(TimeSpan.FromSeconds(Math.Floor(row.TimeTrapped.TotalSeconds)))),
                new Spectre.Console.Text(row.BytesSent.ToString("N0", CultureInfo.InvariantCulture)));
        }

        table.Caption(listed.Count == 0
            ? all ? "no bans recorded" : "nobody is redirected"
            : string.Create(CultureInfo.InvariantCulture, $"{listed.Count(b => b.Row.Active)} redirected at {now.ToLocalTime():HH:mm:ss}"));
        return table;
    }

    /// <summary><c>AS64500 Example Attackers BV</c>, or <c>-</c> when unknown.</summary>
    private static string Asn(Tarpit.Geo.GeoInfo? geo) => geo?.Asn is { } asn
        ? string.Create(CultureInfo.InvariantCulture, $"AS{asn} {geo.AsnOrganization}").TrimEnd()
        : "-";

    private static string ExpiresIn(ListedBan ban) => ban switch
    {
        { Row.Active: false, Row.EndedAt: { } ended } => "ended " + ended.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        { InFirewall: false } => "not in nft",
        { Row.ExpiresAt: null } => "never",
        { ExpiresIn: { } left } => DurationSyntax.Format(TimeSpan.FromSeconds(Math.Max(0, Math.Floor(left.TotalSeconds)))),
        _ => "never",
    };
}
