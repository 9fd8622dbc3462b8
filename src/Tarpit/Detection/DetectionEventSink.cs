using System.Globalization;
using System.Threading.Channels;
using Serilog;
using Tarpit.Bans;
using Tarpit.Net;
using Tarpit.Tarpits.Events;

namespace Tarpit.Detection;

/// <summary>
/// The tarpit's own connection events as signals. A direct connection to a <c>decoy = true</c> tarpit (nobody
/// legitimate knows that port) is an offence that bans on the first hit (<see cref="DecoySource"/>); a connection that
/// arrived through a redirect refreshes the ban of an address that keeps coming back. <see cref="Handle"/> runs on the
/// engine's dispatcher thread, so it only queues: <see cref="RunAsync"/> does the work.
/// </summary>
internal sealed class DetectionEventSink(IBanService bans, ILogger log) : IConnectionEventSink
{
    /// <summary>Source of decoy ban requests.</summary>
    public const string DecoySource = "decoy";

    /// <summary>Events waiting for the ban service; when full, events are dropped (and counted) rather than block the dispatcher.</summary>
    public const int QueueCapacity = 4096;

    private readonly Channel<ConnectionEvent> _queue = Channel.CreateBounded<ConnectionEvent>(
        new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    private long _dropped;

    /// <summary>Events dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Handle(ConnectionEvent connectionEvent)
    {
        ArgumentNullException.ThrowIfNull(connectionEvent);
        if (connectionEvent.Kind != ConnectionEventKind.Opened || !(connectionEvent.Redirected || connectionEvent.Decoy))
        {
            return;
        }

        if (!_queue.Writer.TryWrite(connectionEvent) && Interlocked.Increment(ref _dropped) % QueueCapacity == 1)
        {
            log.Warning("Detection is behind: dropped {Dropped} tarpit events (queue of {Capacity} full)", Dropped, QueueCapacity);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var connectionEvent in _queue.Reader.ReadAllAsync(cancellationToken))
        {
            try
            {
                await JudgeAsync(connectionEvent, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                log.Error(ex, "Judging tarpit event {ConnectionId} from {RemoteIP} failed", connectionEvent.ConnectionId, connectionEvent.Remote.Address);
            }
        }
    }

    /// <summary>Stops accepting events (the engine has shut down); <see cref="RunAsync"/> finishes the queue and returns.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    private async Task JudgeAsync(ConnectionEvent e, CancellationToken cancellationToken)
    {
        var address = Networks.Unmap(e.Remote.Address);
        if (e.Redirected)
        {
            var refreshed = await bans.RefreshAsync(address, cancellationToken);
            log.Debug("{RemoteIP} came back through a redirect to {Tarpit} (port {OriginalPort}); ban refreshed: {Refreshed}", address, e.Tarpit, e.OriginalPort, refreshed);
            return;
        }

        if (bans.IsAllowed(address))
        {
            log.Debug("Ignoring decoy hit by allowlisted {RemoteIP} on {Tarpit}", address, e.Tarpit);
            return;
        }

        var reason = string.Create(CultureInfo.InvariantCulture, $"direct connection to decoy tarpit {e.Tarpit} (port {e.LocalPort})");
        log.Information("Ban decision for {RemoteIP} by {Watch}: {Reason}", address, DecoySource, reason);
        await bans.BanAsync(new BanRequest(Networks.Host(address), DecoySource, reason), cancellationToken);
    }
}
