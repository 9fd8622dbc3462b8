using System.Globalization;
using Serilog;
using Tarpit.Bans;
using Tarpit.Detection.Judgement;
using Tarpit.Net;
using Tarpit.Tarpits.Events;

namespace Tarpit.Detection;

/// <summary>
/// The tarpit's own connection events as signals. A direct connection to a <c>decoy = true</c> tarpit (nobody
/// legitimate knows that port) is an offence that bans on the first hit (<see cref="DecoySource"/>); a connection that
/// arrived through a redirect refreshes the ban of an address that keeps coming back. <see cref="Handle"/> runs on the
/// engine's dispatcher thread, so it only queues: <see cref="RunAsync"/> (run by the engine) does the work.
/// </summary>
internal sealed class DetectionEventSink : IConnectionEventSink
{
    /// <summary>Source of decoy ban requests.</summary>
    public const string DecoySource = Config.FilterNames.Decoy;

    /// <summary>Events waiting for the ban service; when full, new events are dropped (and counted) rather than block the dispatcher.</summary>
    public const int QueueCapacity = 4096;

    /// <summary>
    /// One event per judgement: each is its own ban call, so there is nothing to batch, and a shutdown that gives up
    /// counts exactly the events it did not judge.
    /// </summary>
    public const int MaxBatch = 1;

    private readonly IBanService _bans;
    private readonly ILogger _log;
    private readonly QueuedSink<ConnectionEvent> _queue;

    public DetectionEventSink(IBanService bans, ILogger log, TimeProvider timeProvider)
    {
        _bans = bans;
        _log = log;
        _queue = new QueuedSink<ConnectionEvent>("detection of tarpit events", QueueCapacity, MaxBatch, JudgeAllAsync, log, timeProvider);
    }

    /// <summary>Events dropped because the queue was full.</summary>
    public long Dropped => _queue.Dropped;

    public void Handle(ConnectionEvent connectionEvent)
    {
        ArgumentNullException.ThrowIfNull(connectionEvent);
        if (connectionEvent.Kind != ConnectionEventKind.Opened || !(connectionEvent.Redirected || connectionEvent.Decoy))
        {
            return;
        }

        if (connectionEvent.IsProxyItself)
        {
            // A trusted proxy that named no client: its address is never banned for what its clients did.
            DetectionLog.IgnoringProxyItself(_log, connectionEvent.Remote.Address, connectionEvent.Tarpit);
            return;
        }

        _queue.Enqueue(connectionEvent);
    }

    /// <summary>Judges queued events until <see cref="Complete"/> and drained; the ban service must outlive it.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => _queue.RunAsync(cancellationToken);

    /// <summary>Stops accepting events (the engine has shut down); <see cref="RunAsync"/> finishes the queue and returns.</summary>
    public void Complete() => _queue.Complete();

    private async Task JudgeAllAsync(IReadOnlyList<ConnectionEvent> batch, CancellationToken cancellationToken)
    {
        foreach (var connectionEvent in batch)
        {
            try
            {
                await JudgeAsync(connectionEvent, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                DetectionLog.JudgingEventFailed(_log, ex, connectionEvent.ConnectionId, connectionEvent.Remote.Address);
            }
        }
    }

    private async Task JudgeAsync(ConnectionEvent e, CancellationToken cancellationToken)
    {
        var address = Networks.Unmap(e.Remote.Address);
        if (e.Redirected)
        {
            var refreshed = await _bans.RefreshAsync(address, cancellationToken);
            DetectionLog.CameBack(_log, address, e.Tarpit, e.OriginalPort, refreshed);
            return;
        }

        if (_bans.IsAllowed(address))
        {
            DetectionLog.IgnoringDecoyHit(_log, address, e.Tarpit);
            return;
        }

        var reason = string.Create(CultureInfo.InvariantCulture, $"direct connection to decoy tarpit {e.Tarpit} (port {e.LocalPort})");
        JudgementLog.BanDecision(_log, address, DecoySource, reason);
        await _bans.BanAsync(new BanRequest(Networks.Host(address), DecoySource, reason), cancellationToken);
    }
}
