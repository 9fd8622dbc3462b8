using Serilog;
using Tarpit.Config;
using Tarpit.Detection;
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
/// <item>firewall loop (the reconciler): applies what the bans queued, then stops (removing the table unless
/// <c>keep_on_exit</c>).</item>
/// </list>
/// Whichever part stops first (a failure) stops the rest, in the same order.
/// </summary>
internal sealed class AgentHost(ConfigFile config, ILogger log, TimeProvider timeProvider)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var root = BanStack.Build(config, log, timeProvider, BanStack.DaemonGeoIp);
        var bans = root.ForDaemon();
        if (root.Store.ReadOnlyReason is { } readOnly)
        {
            HostingLog.StoreReadOnly(log, readOnly);
        }

        if (!config.Firewall.Enabled)
        {
            HostingLog.FirewallDisabled(log);
        }
        else if (!bans.Availability.Available)
        {
            HostingLog.FirewallUnavailable(log, bans.Availability.Reason);
        }

        var detection = new DetectionService(config, bans.Bans, log, timeProvider);
        var sinks = new IConnectionEventSink[] { new ConnectionLogSink(log, bans.Geo), bans.Sessions, detection.EventSink };
        var server = new TarpitServer(config, sinks, log, timeProvider);

        // Started downstream first; AgentParts stops them in the reverse order, each drained before the next stops.
        using var parts = new AgentParts(log);
        parts.Start("firewall", bans.RunFirewallLoopAsync);
        parts.Start("bans", bans.RunPendingBansAsync);
        parts.Start("detection", detection.RunAsync);
        parts.Start("tarpits", server.RunAsync);
        Exception? failed;
        try
        {
            await server.Ready.WaitAsync(cancellationToken);
            HostingLog.Ready(
                log,
                config.Tarpits.Count,
                config.Watches.Count,
                bans.Availability.Available ? $"table inet {config.Firewall.Table}" : "off");

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
}
