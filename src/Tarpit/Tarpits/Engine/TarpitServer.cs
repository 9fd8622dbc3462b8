using Serilog;
using Tarpit.Config;
using Tarpit.Tarpits.Events;

namespace Tarpit.Tarpits.Engine;

/// <summary>
/// Runs every <c>[[tarpit]]</c>: binds its listeners, accepts on one async loop per listener, holds every connection on
/// the one <see cref="TarpitScheduler"/> thread, and carries connection events to the sinks, whose own readers
/// (<see cref="IConnectionEventSink.RunAsync"/>) it runs. On cancellation it stops accepting, closes the held
/// connections (publishing their Closed events), drains the dispatcher, then completes every sink and awaits its drain
/// (session rows written, detection events judged) before it returns, so stop what the sinks call (bans, the store)
/// after it. A reload (<see cref="ReloadAsync"/>) starts, stops or changes tarpits while it runs, without touching the
/// connections it holds.
/// </summary>
internal sealed partial class TarpitServer
{
    /// <summary>
    /// How long the sinks may take to drain at shutdown before what is left is dropped (and counted): well inside
    /// systemd's <c>TimeoutStopSec=30</c>, leaving the firewall loop its own grace after.
    /// </summary>
    public static readonly TimeSpan SinkDrainTimeout = TimeSpan.FromSeconds(10);

    private readonly ConfigFile _config;
    private readonly IReadOnlyList<IConnectionEventSink> _sinks;
    private readonly ILogger _log;
    private readonly TimeProvider _timeProvider;
    private readonly Func<TarpitConfig, ITarpitMode> _modeFactory;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ConnectionEvents? _events;

    public TarpitServer(ConfigFile config, IReadOnlyList<IConnectionEventSink> sinks, ILogger log, TimeProvider timeProvider)
        : this(config, sinks, log, timeProvider, ModeFactory.Create)
    {
    }

    /// <summary>With another mode registry (tests).</summary>
    internal TarpitServer(
        ConfigFile config,
        IReadOnlyList<IConnectionEventSink> sinks,
        ILogger log,
        TimeProvider timeProvider,
        Func<TarpitConfig, ITarpitMode> modeFactory)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(sinks);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(modeFactory);
        _config = config;
        _sinks = sinks;
        _log = log;
        _timeProvider = timeProvider;
        _modeFactory = modeFactory;
    }

    /// <summary>Completes when every listener is bound; faults when a bind (or a mode) fails.</summary>
    public Task Ready => _ready.Task;

    /// <summary>The bound addresses, once <see cref="Ready"/> (real ports when the config asked for port 0).</summary>
    internal IReadOnlyList<(string Tarpit, System.Net.IPEndPoint Endpoint)> Endpoints
    {
        get
        {
            lock (_running)
            {
                return [.. _running.Values.SelectMany(t => t.Listeners).Select(l => (l.Listener.Tarpit.Name, l.Listener.Endpoint))];
            }
        }
    }

    /// <summary>The daemon's metrics (refused connections), or null. The connection counts come from the events (<c>Tarpits/Events/MetricsEventSink</c>).</summary>
    public Metrics.AgentMetrics? Metrics { get; init; }

    /// <summary>Connection events the dispatcher dropped (its queue was full), since start; 0 before it runs.</summary>
    public long EventsDropped => _events?.Dropped ?? 0;

    /// <summary>The scheduler while running (tests look at what is held).</summary>
    internal TarpitScheduler? Scheduler { get; private set; }

    /// <summary>Connections held right now; 0 before the engine runs.</summary>
    public int HeldCount => Scheduler?.Held ?? 0;

    /// <summary>Every held connection, copied on the scheduler thread (<see cref="TarpitScheduler.SnapshotAsync"/>); empty before the engine runs.</summary>
    public Task<IReadOnlyList<HeldSnapshot>> HeldAsync(CancellationToken cancellationToken) =>
        Scheduler is { } scheduler ? scheduler.SnapshotAsync(cancellationToken) : Task.FromResult<IReadOnlyList<HeldSnapshot>>([]);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // banner = "auto": read the real services before the modes are built (at most one timeout, never throws).
        var tarpits = await AutoBanner.ResolveAsync(_config.Tarpits, _log, _timeProvider, ModeCatalog.AutoBannerTimeout, cancellationToken);
        tarpits = HostKeyFiles.Resolve(tarpits, _config.Agent.StateDir, _log);
        var runtimes = new List<TarpitRuntime>();
        var bound = new List<(TarpitRuntime Runtime, System.Net.IPEndPoint Configured, TarpitListener Listener)>();
        try
        {
            foreach (var tarpit in tarpits)
            {
                runtimes.Add(new TarpitRuntime(tarpit, _modeFactory(tarpit)));
            }

            foreach (var runtime in runtimes)
            {
                foreach (var endpoint in runtime.Config.Listen)
                {
                    bound.Add((runtime, endpoint, TarpitListener.Bind(runtime, endpoint, _log, _timeProvider)));
                }
            }
        }
        catch (Exception ex)
        {
            bound.ForEach(l => l.Listener.Dispose());
            runtimes.ForEach(r => r.Dispose());
            _ready.TrySetException(ex);
            throw;
        }

        using var giveUp = new CancellationTokenSource();
        var sinkRuns = _sinks.Select(sink => Task.Run(() => sink.RunAsync(giveUp.Token), CancellationToken.None)).ToList();
        var events = new ConnectionEvents(_sinks, _log, _timeProvider);
        _events = events;
        var dispatcher = Task.Run(() => events.RunAsync(giveUp.Token), CancellationToken.None);
        using var scheduler = new TarpitScheduler(events, _log, _timeProvider) { Metrics = Metrics };
        Scheduler = scheduler;
        scheduler.Start();
        _stopping = cancellationToken;
        lock (_running)
        {
            foreach (var runtime in runtimes)
            {
                var running = new RunningTarpit(runtime);
                _running[runtime.Name] = running;
                foreach (var (_, configured, listener) in bound.Where(b => b.Runtime == runtime))
                {
                    EngineLog.Listening(_log, runtime.Name, runtime.Protocol, runtime.Mode.Name, listener.Endpoint);
                    running.Listeners.Add(StartListener(configured, listener));
                }
            }
        }

        _ready.TrySetResult();
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            EngineLog.Stopping(_log, scheduler.Held);
        }
        finally
        {
            // No reload from here on. Stop accepting first, so that nothing reaches the scheduler after it closed everything.
            await _reload.WaitAsync(CancellationToken.None);
            _stopped = true;
            _reload.Release();
            List<RunningListener> listeners;
            lock (_running)
            {
                listeners = [.. _running.Values.SelectMany(t => t.Listeners)];
                // Kept (disposed) for Endpoints: what the server listened on stays readable after it stopped.
                runtimes = [.. _running.Values.Select(t => t.Runtime), .. _retired];
            }

            listeners.ForEach(l => l.Listener.Dispose());
            await Task.WhenAll(listeners.Select(l => l.Loop));
            listeners.ForEach(l => l.Stop.Dispose());
            await scheduler.StopAsync(CancellationToken.None);
            await DrainAsync(events, dispatcher, sinkRuns, giveUp);
            runtimes.ForEach(r => r.Dispose());
            Scheduler = null;
        }
    }

    /// <summary>
    /// Completes the dispatcher, then (once every event was handed out) every sink, and waits for their queues to
    /// empty, at most <see cref="SinkDrainTimeout"/>; then it gives up and the sinks count what is left as dropped.
    /// </summary>
    private async Task DrainAsync(ConnectionEvents events, Task dispatcher, List<Task> sinkRuns, CancellationTokenSource giveUp)
    {
        var drained = DrainInOrderAsync();
        try
        {
            await drained.WaitAsync(SinkDrainTimeout, _timeProvider);
        }
        catch (TimeoutException)
        {
            EngineLog.SinksNotDrained(_log, SinkDrainTimeout.TotalSeconds);
            await giveUp.CancelAsync();
            await drained;
        }

        async Task DrainInOrderAsync()
        {
            events.Complete();
            await dispatcher;
            foreach (var sink in _sinks)
            {
                sink.Complete();
            }

            await Task.WhenAll(sinkRuns);
        }
    }
}
