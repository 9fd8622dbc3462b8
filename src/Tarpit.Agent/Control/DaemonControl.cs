using System.Globalization;
using Tarpit.Bans;
using Tarpit.Config;
using Tarpit.Detection;
using Tarpit.Firewall;
using Tarpit.Tarpits.Engine;

namespace Tarpit.Agent.Control;

/// <summary>
/// What the daemon answers on its control socket, read from the parts it runs: the engine (held connections, copied
/// on the scheduler thread), detection (each watch's health), the ban runtime (store, reconciler, pending bans, GeoIP)
/// and the firewall (nft asked once per status). Built by the host beside the parts; it owns nothing.
/// </summary>
internal sealed class DaemonControl(
    Hosting.ConfigReloader reloader,
    bool observe,
    BanRuntime bans,
    IFirewall firewall,
    DetectionService detection,
    TarpitServer server,
    TimeProvider time,
    Reporting.AbuseReporter? reporter = null)
{
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    /// <summary>The running config: the file as last loaded or reloaded.</summary>
    private ConfigFile Config => reloader.Running;

    public async Task<ControlReply> AnswerAsync(ControlRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Verb switch
        {
            ControlRequest.Status => new ControlReply(Status: await StatusAsync(cancellationToken)),
            ControlRequest.Sessions => new ControlReply(Sessions: await SessionsAsync(cancellationToken)),
            ControlRequest.Held => new ControlReply(Held: await HeldAsync(cancellationToken)),
            _ => new ControlReply(Error: $"unknown verb '{Text.AttackerText.Escape(request.Verb, 32)}'; known: status, sessions, held"),
        };
    }

    private async Task<IReadOnlyList<SessionReport>> SessionsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var held = await server.HeldAsync(cancellationToken);
        return [.. held.Select(h =>
        {
            var geo = bans.Geo.Lookup(h.Remote.Address);
            return new SessionReport(
                h.ConnectionId,
                h.Remote.Address.ToString(),
                h.Remote.Port,
                h.Tarpit,
                h.Protocol,
                h.Mode,
                h.Since,
                Math.Max(0, (now - h.Since).TotalSeconds),
                h.BytesSent,
                h.Verified,
                h.FirstBytes,
                h.Redirected,
                h.OriginalPort,
                geo?.CountryCode,
                geo?.Asn,
                geo?.AsnOrganization is { } org ? Text.AttackerText.Escape(org, 64) : null,
                h.Proxy?.Address.ToString());
        })];
    }

    private async Task<IReadOnlyList<HeldCount>> HeldAsync(CancellationToken cancellationToken)
    {
        var held = await server.HeldAsync(cancellationToken);
        return [.. held.GroupBy(h => h.Remote.Address).Select(g => new HeldCount(g.Key.ToString(), g.Count()))];
    }

    private async Task<StatusReport> StatusAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var problems = new List<string>();
        var firewallReport = await FirewallAsync(now, problems, cancellationToken);
        var watches = detection.Health()
            .Select(w => w with { Source = Text.AttackerText.Escape(w.Source, 256), LinesPerSecond = Math.Round(w.LinesPerSecond, 3) })
            .ToList();
        problems.AddRange(watches.Where(w => w.Problem is not null).Select(w => $"watch {w.Name} ({w.Source}): {w.Problem}"));
        var geo = new GeoReport(Config.GeoIp.CityDb, bans.Geo.HasLocation, Config.GeoIp.AsnDb, bans.Geo.HasAsn);
        if (geo.CityDb is not null && !geo.CityLoaded)
        {
            problems.Add($"GeoIP: {geo.CityDb} is configured but not loaded (see the agent's log)");
        }

        if (geo.AsnDb is not null && !geo.AsnLoaded)
        {
            problems.Add($"GeoIP: {geo.AsnDb} is configured but not loaded (see the agent's log)");
        }

        var store = new StoreReport(bans.Store.Path, StoreSize(bans.Store.Path), bans.Store.ReadOnlyReason);
        if (store.ReadOnlyReason is { } readOnly)
        {
            problems.Add($"the store is read-only ({readOnly}): new bans are held in memory");
        }

        return new StatusReport(
            AgentCli.Version,
            Environment.ProcessId,
            _startedAt,
            Math.Round((now - _startedAt).TotalSeconds),
            Config.SourcePath,
            firewallReport,
            watches,
            geo,
            store,
            server.HeldCount,
            problems)
        {
            Reporting = reporter?.Status() is { } r
                ? new ReportingReport(r.Counts.Queued, r.Counts.Sent, r.Counts.Duplicate, r.Counts.Failed, r.Dropped, r.Counts.BudgetUsedToday, r.DailyBudget, r.BudgetSpent)
                : null,
        };
    }

    private async Task<FirewallReport> FirewallAsync(DateTimeOffset now, List<string> problems, CancellationToken cancellationToken)
    {
        var active = bans.Store.Active(now);
        var expected = KernelView.InKernel(active).Count;
        var pending = bans.Pending.Count;
        var last = bans.Reconciler.LastReconcile;
        var live = bans.Availability.Available;
        bool? present = null;
        int? elements = null;
        if (live)
        {
            try
            {
                var offenders = await firewall.ReadOffendersAsync(cancellationToken);
                present = offenders is not null;
                elements = offenders?.Count;
            }
            catch (FirewallException ex)
            {
                problems.Add($"nft cannot list the table: {ex.Message}");
            }

            if (present is false)
            {
                problems.Add($"the table inet {Config.Firewall.Table} is missing: banned sources are not redirected until the agent restores it");
            }
        }
        else if (!observe && Config.Firewall.Enabled)
        {
            problems.Add($"the firewall is off although firewall.enabled = true: {bans.Availability.Reason}");
        }

        if (last?.Error is { } error)
        {
            problems.Add($"the last reconcile failed: {error}");
        }

        if (pending > 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{pending} ban(s) held in memory: the store refuses writes ({bans.Pending.Fault?.FaultName ?? "fault"})"));
        }

        return new FirewallReport(
            live ? "live" : "observe-only",
            live ? null : bans.Availability.Reason,
            Config.Firewall.Table,
            Config.Firewall.KeepOnExit,
            RedirectSummary.Describe(Config.Tarpits),
            present,
            elements,
            active.Count,
            expected,
            pending,
            last?.At,
            last?.Error);
    }

    private static long StoreSize(string databasePath) =>
        new[] { databasePath, databasePath + "-wal" }.Sum(p => File.Exists(p) ? new FileInfo(p).Length : 0);
}
