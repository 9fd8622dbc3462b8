using System.CommandLine;
using System.Globalization;
using System.Net;
using Tarpit.Agent.Control;
using Tarpit.Agent.Hosting;
using Tarpit.Agent.Listing;
using Tarpit.Config;
using Tarpit.Net;

namespace Tarpit.Agent.Commands;

/// <summary>
/// <c>tarpit-agent show ADDR</c>: one address's whole history: where it comes from, every ban of it or of a network
/// around it, the connections the daemon holds from it now, and its finished sessions (what it sent first, how long
/// it was held, through which port) and its request captures (<c>--json</c>: <see cref="ShowJson"/>). Store text is
/// escaped already; the rest is ours.
/// </summary>
internal static class ShowCommand
{
    /// <summary>Finished sessions printed one per line; the totals count every one.</summary>
    public const int ShownSessions = 20;

    /// <summary>Request captures printed one per line, newest first; the count says how many are stored.</summary>
    public const int ShownCaptures = 20;

    public static Command Create()
    {
        var config = ConfigOption.Create();
        var address = new Argument<string>("ADDR") { Description = "One address (192.0.2.7, 2001:db8::7)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object for scripts (fields documented in ShowJson), captures in full" };
        var command = new Command("show", "Show one address's whole history: GeoIP, bans, held now, sessions (what it sent, how long it was held), request captures.")
        {
            address, json, config,
        };
        CliBoundary.SetAction(command, (parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(config) ?? AgentCli.DefaultConfigPath,
            ParseAddress(parseResult.GetValue(address)),
            parseResult.InvocationConfiguration.Output,
            cancellationToken,
            parseResult.GetValue(json)));
        return command;
    }

    /// <summary>One address, strictly; a network is a usage error that points at <c>list CIDR</c>.</summary>
    public static IPAddress ParseAddress(string? text)
    {
        var style = new NetworkTextStyle(t => $"'{Text.AttackerText.Escape(t, 64)}'", t => t);
        if (!NetworkText.TryParse(text, style, out var network, out var error))
        {
            throw new OperatorException(error, ExitCodes.Usage);
        }

        return Networks.IsHost(network)
            ? network.BaseAddress
            : throw new OperatorException($"show takes one address, not the network {NetworkText.Format(network)}: list {NetworkText.Format(network)} shows the bans inside it", ExitCodes.Usage);
    }

    public static async Task<int> RunAsync(string configPath, IPAddress address, TextWriter output, CancellationToken cancellationToken, bool json = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        var loaded = ConfigLoader.Load(configPath);
        using var log = BanCommand.CliLog();
        using var session = AdminSession.Open(loaded, log, TimeProvider.System);
        var now = TimeProvider.System.GetUtcNow();
        var (bans, _) = await session.ListAsync(all: true, now, cancellationToken);
        var own = bans.Where(b => b.Row.Target.Contains(address)).ToList();
        var (latest, count, held, bytes) = session.SessionsOf(address, ShownSessions);
        var geo = session.Locate(address) ?? own.Select(b => b.Row.Geo).FirstOrDefault(g => g is not null);
        var reply = await ControlClient.AskAsync(ControlSocket.PathIn(loaded.Agent.StateDir), new ControlRequest(ControlRequest.Sessions), cancellationToken);
        var text = address.ToString();
        var heldNow = reply?.Sessions?.Where(s => s.Address == text).ToList();
        var (captures, captureCount) = session.CapturesOf(address, ShownCaptures);
        var data = new ShowData(address, geo, own, heldNow, latest, count, held, bytes, captures, captureCount);
        if (json)
        {
            using var stream = new MemoryStream();
            ShowJson.Write(stream, data);
            await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
            return ExitCodes.Ok;
        }

        Write(output, data, now);
        return ExitCodes.Ok;
    }

    internal static void Write(TextWriter output, ShowData data, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(data);
        var (address, geo, bans, heldNow, sessions, sessionCount, held, bytes) =
            (data.Address, data.Geo, data.Bans, data.HeldNow, data.Sessions, data.SessionCount, data.Held, data.Bytes);
        var c = CultureInfo.InvariantCulture;
        var where = geo is null ? "no GeoIP answer" : string.Join(", ", new[] { geo.CountryCode is null ? null : $"{geo.CountryCode} {geo.CountryName}".Trim(), geo.Asn is { } asn ? $"AS{asn} {geo.AsnOrganization}".Trim() : null }.OfType<string>());
        output.WriteLine($"{address}  {Text.AttackerText.Escape(where, 200)}");
        output.WriteLine(string.Create(c, $"bans: {bans.Count} ({bans.Count(b => b.Row.Active)} in force)"));
        foreach (var ban in bans)
        {
            var row = ban.Row;
            var state = row.Active
                ? row.ExpiresAt is null ? "in force, permanent" : $"in force, {StatusCommand.Ago(ban.ExpiresIn ?? (row.ExpiresAt.Value - now))} left"
                : $"ended {row.EndedAt?.ToLocalTime().ToString("yyyy-MM-dd HH:mm", c) ?? "?"}";
            var target = NetworkText.Format(row.Target) == address.ToString() ? "" : $" (network {NetworkText.Format(row.Target)})";
            output.WriteLine(string.Create(c, $"  {row.BannedAt.ToLocalTime():yyyy-MM-dd HH:mm}  {row.Source}{target}  ban #{row.BanCount}, {state}  {row.Reason}"));
        }

        if (heldNow is not null)
        {
            output.WriteLine(string.Create(c, $"held now: {heldNow.Count} connection(s)"));
            foreach (var s in heldNow)
            {
                output.WriteLine(string.Create(c, $"  {s.Tarpit}/{s.Mode}  for {StatusCommand.Ago(TimeSpan.FromSeconds(s.HeldSeconds))}  {s.BytesSent:N0} bytes  {s.Via()}  first: {s.FirstBytes ?? "(nothing yet)"}"));
            }
        }

        output.WriteLine(string.Create(c, $"sessions: {sessionCount} finished, held {StatusCommand.Ago(held)} in all, {bytes:N0} bytes sent{(sessionCount > sessions.Count ? $"; the latest {sessions.Count}:" : "")}"));
        foreach (var s in sessions)
        {
            var via = s.OriginalPort is { } port ? string.Create(c, $"via :{port}") : "";
            output.WriteLine(string.Create(c, $"  {s.StartedAt.ToLocalTime():yyyy-MM-dd HH:mm}  {s.Tarpit}/{s.Mode}  held {StatusCommand.Ago(s.EndedAt - s.StartedAt)}  {s.BytesSent:N0} bytes  {via}{(s.Verified ? "  verified" : "")}  first: {s.FirstBytes ?? "(nothing)"}"));
        }

        output.WriteLine(string.Create(c, $"captures: {data.CaptureCount}{(data.CaptureCount > data.Captures.Count ? $"; the latest {data.Captures.Count}:" : "")}"));
        foreach (var capture in data.Captures)
        {
            output.WriteLine(string.Create(c, $"  {capture.CapturedAt.ToLocalTime():yyyy-MM-dd HH:mm:ss}  {capture.Tarpit}  {capture.Protocol}  {CaptureText.Line(capture.Protocol, capture.Capture)}"));
        }
    }
}
