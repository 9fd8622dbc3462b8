using System.Globalization;
using Tarpit.Agent.Control;
using Tarpit.Config;
using Tarpit.Detection;

namespace Tarpit.Agent.Commands;

/// <summary>
/// <c>status</c> for a terminal: a few lines, the verdict and its reasons first. Every string that did not come from
/// this binary (paths, error messages, a watch's source) is escaped before it reaches the terminal.
/// </summary>
internal static partial class StatusCommand
{
    private const int MaxText = 512;

    public static void Write(TextWriter output, StatusReport status, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(status);
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"tarpit-agent {E(status.Version)} is running (pid {status.ProcessId}), up {Ago(TimeSpan.FromSeconds(status.UptimeSeconds))}, config {E(status.ConfigFile)}"));
        if (status.Problems.Count == 0)
        {
            output.WriteLine("status:   healthy");
        }
        else
        {
            output.WriteLine(string.Create(inv, $"status:   degraded ({status.Problems.Count} problem(s))"));
            foreach (var problem in status.Problems)
            {
                output.WriteLine("  - " + E(problem));
            }
        }

        var fw = status.Firewall;
        if (fw.Mode == "live")
        {
            var table = fw.TablePresent switch
            {
                true => string.Create(inv, $"table inet {E(fw.Table)} present, {fw.KernelElements} element(s)"),
                false => $"table inet {E(fw.Table)} MISSING",
                null => $"table inet {E(fw.Table)} (nft could not be asked)",
            };
            output.WriteLine(string.Create(inv, $"firewall: live, {table}; store: {fw.StoredInForce} ban(s) in force, {fw.ExpectedElements} of them kernel elements"));
            output.WriteLine($"          redirecting new connections from banned sources: {fw.Redirects}");
            output.WriteLine(fw.KeepOnExit
                ? "          the table stays after the agent exits (firewall.keep_on_exit = true)"
                : "          the table is removed when the agent exits (firewall.keep_on_exit = false)");
        }
        else
        {
            output.WriteLine(string.Create(inv, $"firewall: observe-only ({E(fw.Reason ?? "off")}); store: {fw.StoredInForce} ban(s) in force"));
            output.WriteLine($"          a live start would redirect: {fw.Redirects}");
        }

        output.WriteLine(fw.LastReconcileAt is { } at
            ? $"          last reconcile {Ago(now - at)} ago{(fw.LastReconcileError is { } error ? ": failed: " + E(error) : "")}"
            : "          no reconcile yet");
        if (fw.PendingBans > 0)
        {
            output.WriteLine(string.Create(inv, $"          {fw.PendingBans} ban(s) held in memory until the store takes writes again"));
        }

        output.WriteLine(string.Create(inv, $"held now: {status.HeldNow} connection(s) (tarpit-agent sessions lists them)"));
        WriteWatches(output, status.Watches, now);
        output.WriteLine($"geoip:    {Database("city/country", status.Geo.CityDb, status.Geo.CityLoaded)}; {Database("asn", status.Geo.AsnDb, status.Geo.AsnLoaded)}");
        output.WriteLine($"store:    {E(status.Store.Path)}, {Size(status.Store.SizeBytes)}{(status.Store.ReadOnlyReason is { } ro ? ", READ-ONLY: " + E(ro) : "")}");
        if (status.Reporting is { } r)
        {
            output.WriteLine(string.Create(
                inv,
                $"abuseipdb: {r.Queued} queued, {r.Sent} sent, {r.Duplicate} duplicate, {r.Failed} failed, {r.Dropped} dropped (outbox full); today {r.BudgetUsedToday} of {r.DailyBudget} requests{(r.BudgetSpent ? ": BUDGET SPENT, waiting for the next UTC day" : "")}"));
        }
    }

    private static void WriteWatches(TextWriter output, IReadOnlyList<WatchStatus> watches, DateTimeOffset now)
    {
        if (watches.Count == 0)
        {
            output.WriteLine("watches:  none configured");
            return;
        }

        output.WriteLine("watches:");
        var nameWidth = watches.Max(w => E(w.Name).Length);
        foreach (var watch in watches)
        {
            var state = watch.Problem is { } problem ? "PROBLEM: " + E(problem) : watch.Found ? "ok" : "not open yet";
            var last = watch.LastLineAt is { } at ? $"last line {Ago(now - at)} ago" : "no line yet";
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {E(watch.Name).PadRight(nameWidth)}  {E(watch.Source)}  {watch.Lines} line(s), {watch.LinesPerSecond:0.###}/s, {last}{(watch.CutLines > 0 ? $", {watch.CutLines} cut" : "")}  {state}"));
        }
    }

    private static string Database(string role, string? path, bool loaded) =>
        path is null ? $"{role}: not configured" : $"{role}: {E(path)} ({(loaded ? "loaded" : "NOT loaded")})";

    /// <summary>A whole-second duration the way the config writes one: <c>2h3m</c>, <c>12s</c>.</summary>
    internal static string Ago(TimeSpan span) =>
        DurationSyntax.Format(TimeSpan.FromSeconds(Math.Max(0, Math.Floor(span.TotalSeconds))));

    internal static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB"),
    };

    private static string E(string text) => Text.AttackerText.Escape(text, MaxText);
}
