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
/// <see cref="BanStack"/>, which the host disposes when everything has stopped.
/// </summary>
internal sealed class AgentHost(ConfigFile config, ILogger log, TimeProvider timeProvider)
{
    /// <summary>Printed once everything listens; system tests and operators wait for it.</summary>
    public const string ReadyMessage = "Tarpit agent ready";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var root = BanStack.Build(config, log, timeProvider, BanStack.DaemonGeoIp);
        var bans = root.ForDaemon();
        if (!config.Firewall.Enabled)
        {
            log.Warning("Firewall is off (firewall.enabled = false): offenders are judged and logged as \"would ban\", never redirected");
        }
        else if (!bans.Availability.Available)
        {
            log.Warning("Firewall is off: {Reason}. The tarpits run, offenders are judged and logged as \"would ban\", nothing is redirected", bans.Availability.Reason);
        }

        var detection = new DetectionService(config, bans.Bans, log, timeProvider);
        var sinks = new IConnectionEventSink[] { new ConnectionLogSink(log, bans.Geo), bans.Sessions, detection.EventSink };
        var server = new TarpitServer(config, sinks, log, timeProvider);

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = new List<Task>
        {
            Watch("firewall", bans.RunAsync(stopping.Token)),
            Watch("detection", detection.RunAsync(stopping.Token)),
            Watch("tarpits", server.RunAsync(stopping.Token)),
        };

        try
        {
            await server.Ready.WaitAsync(cancellationToken);
            log.Information(
                ReadyMessage + ": {TarpitCount} tarpit(s), {WatchCount} watch(es), firewall {FirewallState}",
                config.Tarpits.Count,
                config.Watches.Count,
                bans.Availability.Available ? $"table inet {config.Firewall.Table}" : "off");

            // Whichever part stops first (normally all of them, on cancellation) stops the rest.
            await Task.WhenAny(tasks);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await stopping.CancelAsync();
            await Task.WhenAll(tasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        }

        var failed = tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.GetBaseException()).FirstOrDefault();
        if (failed is not null)
        {
            throw failed is OperatorException ? failed : new InvalidOperationException("A part of the agent failed.", failed);
        }

        log.Information("Tarpit agent stopped");
        return 0;
    }

    private async Task Watch(string part, Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
        catch (OperatorException ex)
        {
            log.Error("The {Part} part stopped: {Message}", part, ex.Message);
            throw;
        }
        catch (Exception ex)
        {
            log.Fatal(ex, "The {Part} part failed", part);
            throw;
        }
    }
}
