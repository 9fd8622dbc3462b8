using System.Runtime.InteropServices;
using System.Threading.Channels;
using Serilog;
using Tarpit.Config;
using Tarpit.Detection;
using Tarpit.Metrics;
using Tarpit.Store;
using Tarpit.Tarpits.Engine;
using Tarpit.Tarpits.Events;

namespace Tarpit.Agent.Hosting;

/// <summary>
/// The daemon's wiring, and nothing else: bans (store + firewall), detection (log sources + the tarpits' own events)
/// and the tarpits, run side by side until SIGINT/SIGTERM. The data flow is sources → detection → bans → firewall +
/// store, and tarpits → events → log, store and detection. The ban stack comes from the one composition root,
/// <see cref="BanStack"/>, which the host disposes when everything has stopped. Each part has its own stop token, and the parts stop in
/// data-flow order, each finished before the next is told to stop, so nothing in flight is lost:
/// <list type="number">
/// <item>tarpits: stop accepting, close every held connection (publishing Closed), then complete the engine's sinks
/// and await their drain: the connection log, the session writer (rows stored), detection of tarpit events (judged,
/// or dropped with a count after <see cref="TarpitServer.SinkDrainTimeout"/>);</item>
/// <item>detection: the log sources and their judges, after the tarpits' events are in;</item>
/// <item>bans: nobody calls the ban service once the parts above returned; its one loop stores the bans held while the
/// store refused writes (<c>PendingBans</c>), tries once more, and says how many it could not store;</item>
/// <item>firewall loop (the reconciler, with the store follower beside it): applies what the bans queued, then stops (removing the table unless
/// <c>keep_on_exit</c>).</item>
/// </list>
/// Before them, the parts that only act on the others stop: reload (the reload in progress finishes), metrics (with
/// <c>[metrics]</c>: the scrapes in progress are answered) and retention (the batch in progress finishes). Whichever part stops first (a failure) stops the rest, in the same
/// order. SIGHUP asks <see cref="ConfigReloader"/> to apply <c>tarpit.toml</c> again; reloads run one at a time, and
/// SIGHUPs that arrive during one are merged into one more.
/// </summary>
/// <param name="observe"><c>run --observe</c>: the firewall stays off whatever the config says.</param>
internal sealed class AgentHost(ConfigFile config, ILogger log, TimeProvider timeProvider, bool observe = false)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        // First: SIGHUP's default action ends the process (with a status systemd counts as clean). A reload asked
        // before the parts run waits for them.
        var reloads = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            reloads.Writer.TryWrite(true);
        });
        // [metrics]: bound before anything else starts, so a port in use fails the start with one sentence.
        var metrics = config.Metrics.Enabled ? new AgentMetrics(AgentCli.Version) : null;
        using var metricsEndpoint = metrics is null ? null : MetricsEndpoint.Bind(config.Metrics.Endpoint, config.Metrics.SocketPath, metrics, log);
        using var root = BanStack.Build(config, log, timeProvider, BanStack.DaemonGeoIp, observe);
        var bans = root.ForDaemon();
        // [abuseipdb]: the key is read here, once; a key file that cannot be read fails the start with one sentence.
        using var reportClient = root.Outbox is null ? null : Reporting.AbuseIpDbClient.Create(config.AbuseIpDb, timeProvider);
        using var reporter = root.Outbox is { } outbox && reportClient is not null
            ? new Reporting.AbuseReporter(config.AbuseIpDb, root.Store, outbox, reportClient, timeProvider, log) { Metrics = metrics }
            : null;
        if (reporter is not null)
        {
            root.Outbox!.Queued = reporter.Wake;
            root.Outbox.Metrics = metrics;
        }

        if (metrics is not null)
        {
            DaemonMetrics.Attach(metrics, root, bans);
        }

        LogFirewallPlan(bans.Availability);
        if (root.Store.ReadOnlyReason is { } readOnly)
        {
            HostingLog.StoreReadOnly(log, readOnly);
        }

        var detection = new DetectionService(config, bans.Bans, log, timeProvider, metrics);
        IConnectionEventSink[] sinks = metrics is null
            ? [new ConnectionLogSink(log, bans.Geo, timeProvider), bans.Sessions, detection.EventSink]
            : [new ConnectionLogSink(log, bans.Geo, timeProvider), bans.Sessions, detection.EventSink, new MetricsEventSink(metrics)];
        var server = new TarpitServer(config, sinks, log, timeProvider) { Metrics = metrics };
        if (metrics is not null)
        {
            DaemonMetrics.ReadAtScrape(metrics, root.Store, timeProvider, server, bans, detection, reporter);
        }

        var retention = new StoreRetention(root.Store, config.Agent.SessionsRetention, config.Agent.BansRetention, timeProvider, log);
        var reloader = new ConfigReloader(config, root, detection, server, retention, log);
        var control = new Control.ControlServer(
            Control.ControlSocket.PathIn(config.Agent.StateDir),
            new Control.DaemonControl(reloader, observe, bans, root.Firewall, detection, server, timeProvider, reporter).AnswerAsync,
            log);

        // [crowdsec] with a bouncer key: the fleet's decisions become redirects through the ban service. It never
        // blocks the start (a LAPI that is down is retried in its loop) and stops before the ban loops it feeds.
        // With a machine and push, the bans decided here are queued (never waiting) as alerts for the LAPI.
        using var lapi = config.Crowdsec is { } fleet && (fleet.BouncerEnabled || fleet.WatcherEnabled) ? new Crowdsec.LapiClient(fleet) : null;
        var pusher = lapi is not null && config.Crowdsec!.WatcherEnabled ? new Crowdsec.AlertPusher(config.Crowdsec, lapi, timeProvider, log) : null;
        bans.Bans.Observer = pusher;

        // Started downstream first; AgentParts stops them in the reverse order, each drained before the next stops.
        using var parts = new AgentParts(log);
        parts.Start("firewall", bans.RunFirewallLoopAsync);
        parts.Start("bans", bans.RunPendingBansAsync);
        if (reporter is not null)
        {
            // Off the ban path: the outbox rows are durable, so stopping it (late, after the bans) loses nothing.
            parts.Start("reporting", reporter.RunAsync);
        }

        if (pusher is not null)
        {
            parts.Start("crowdsec-push", pusher.RunAsync);
        }

        if (lapi is not null && config.Crowdsec!.BouncerEnabled)
        {
            parts.Start("crowdsec", new Crowdsec.CrowdsecBouncer(config.Crowdsec, lapi, bans.Bans, timeProvider, log).RunAsync);
        }

        // Detection (which reads find_time of history back) starts only once every listener is bound: a start that
        // fails (a port taken) must not ban anything on its way out.
        parts.Start("detection", stop => DetectWhenBoundAsync(server, detection, stop));
        parts.Start("tarpits", server.RunAsync);
        parts.Start("retention", retention.RunAsync);
        if (metricsEndpoint is not null)
        {
            // Stops before the parts it reads (AgentParts stops in reverse), right after reload.
            parts.Start("metrics", metricsEndpoint.RunAsync);
        }

        Exception? failed;
        try
        {
            await server.Ready.WaitAsync(cancellationToken);
            parts.Start("reload", ct => ReloadLoopAsync(reloads.Reader, reloader, ct));
            // Last, so it stops first: status says "not running" once the agent begins to stop.
            parts.Start("control", control.RunAsync);
            HostingLog.Ready(
                log,
                config.Tarpits.Count,
                config.Watches.Count,
                bans.Availability.Available ? $"table inet {config.Firewall.Table}" : observe ? "off (observe only)" : "off");

            // Whichever part stops first (normally none until cancellation; a failure otherwise) stops the rest.
            await parts.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            failed = await parts.StopAsync();
        }

        if (failed is not null)
        {
            throw failed is OperatorException ? failed : new InvalidOperationException("A part of the agent failed.", failed);
        }

        HostingLog.Stopped(log);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// The first lines of a start say plainly what the firewall will do: which ports of a banned source are redirected
    /// where, and whether the table outlives the agent; or that it stays off, and why.
    /// </summary>
    private void LogFirewallPlan(Firewall.FirewallAvailability availability)
    {
        var redirects = Firewall.RedirectSummary.Describe(config.Tarpits);
        if (observe)
        {
            HostingLog.Observing(log, redirects);
        }
        else if (!config.Firewall.Enabled)
        {
            HostingLog.FirewallDisabled(log);
        }
        else if (!availability.Available)
        {
            HostingLog.FirewallUnavailable(log, availability.Reason);
        }
        else
        {
            HostingLog.Redirecting(log, redirects);
            if (config.Firewall.KeepOnExit)
            {
                HostingLog.TableStaysAfterExit(log, config.Firewall.Table);
            }
            else
            {
                HostingLog.TableRemovedOnExit(log, config.Firewall.Table);
            }
        }
    }

    /// <summary>A service loop: one reload per SIGHUP (merged while one runs); an unexpected failure is logged and the agent goes on.</summary>
    private async Task ReloadLoopAsync(ChannelReader<bool> reloads, ConfigReloader reloader, CancellationToken cancellationToken)
    {
        try
        {
            while (await reloads.WaitToReadAsync(cancellationToken))
            {
                reloads.TryRead(out _);
                HostingLog.ReloadRequested(log, Path.GetFileName(reloader.Running.SourcePath));
                try
                {
                    await reloader.ReloadAsync(cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    HostingLog.ReloadFailed(log, ex);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Runs detection once the tarpits are bound; when binding fails, returns without judging a line (the tarpits' failure stops the agent).</summary>
    private static async Task DetectWhenBoundAsync(TarpitServer server, DetectionService detection, CancellationToken cancellationToken)
    {
        try
        {
            await server.Ready.WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return;
        }

        await detection.RunAsync(cancellationToken);
    }
}
