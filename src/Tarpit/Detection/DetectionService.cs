using System.Threading.Channels;
using Serilog;
using Tarpit.Bans;
using Tarpit.Config;
using Tarpit.Detection.Filters;
using Tarpit.Detection.Judgement;
using Tarpit.Detection.Sources;
using Tarpit.Metrics;

namespace Tarpit.Detection;

/// <summary>
/// What the daemon runs for detection: every <c>[[watch]]</c> (a source feeding a bounded channel, a judge reading it),
/// and the tarpit's own events (<see cref="EventSink"/>: give it to the engine, which runs it and drains it at shutdown
/// before detection stops).
/// Filters are built in the constructor, so a bad custom filter file fails at start with a <see cref="ConfigException"/>.
/// A reload (<see cref="ReloadAsync"/>) starts, stops or restarts single watches; the others run on untouched.
/// </summary>
internal sealed partial class DetectionService
{
    /// <summary>Lines in flight per watch; when full the source stops reading (FullMode Wait) instead of buffering.</summary>
    public const int LineQueueCapacity = 4096;

    /// <summary>How often the watches are checked for silence (<see cref="WatchHealth.SilentFor"/>); its floor is an hour.</summary>
    public static readonly TimeSpan SilenceCheckInterval = TimeSpan.FromMinutes(1);

    /// <summary>A source or judge that failed unexpectedly is restarted after this pause.</summary>
    public static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(5);

    private readonly IReadOnlyList<(ILogSource Source, WatchJudge Judge)> _watches;
    private readonly IBanService _bans;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly AgentMetrics? _metrics;

    public DetectionService(ConfigFile config, IBanService bans, ILogger log, TimeProvider time, AgentMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _bans = bans;
        _log = log.ForContext<DetectionService>();
        _time = time;
        _metrics = metrics;
        _watches = [.. config.Watches.Select(watch => Build(watch, watch.FindTime, config))];
        EventSink = new DetectionEventSink(bans, _log, time);
    }

    public DetectionEventSink EventSink { get; }

    /// <summary>
    /// Runs every watch (its source and its judge) until cancelled, even when there is none; the engine runs
    /// <see cref="EventSink"/>.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        lock (_running)
        {
            _stopping = cancellationToken;
            foreach (var (source, judge) in _watches)
            {
                _running[judge.Watch.Name] = Start(source, judge);
            }
        }

        // Stay up until told to stop, watches or none, like every part of the agent (a part that returns stops the rest).
        await IdleAsync(cancellationToken);
        await _reload.WaitAsync(CancellationToken.None);
        List<RunningWatch> running;
        lock (_running)
        {
            _stopped = true;
            running = [.. _running.Values];
            _running.Clear();
        }

        _reload.Release();
        await Task.WhenAll(running.Select(w => w.Run));
        running.ForEach(w => w.Stop.Dispose());
    }

    /// <summary>Starts a watch: its source feeding a bounded channel, its judge reading it, each restarted on failure.</summary>
    private RunningWatch Start(ILogSource source, WatchJudge judge)
    {
        var channel = Channel.CreateBounded<LogLine>(new BoundedChannelOptions(LineQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
        DetectionLog.Watching(_log, source.Description, judge.Filter.Name, judge.Watch.MaxRetry, DurationSyntax.Format(judge.Watch.FindTime), judge.Watch.Name);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        var meters = judge.Meters;
        var run = Task.WhenAll(
            KeepRunningAsync(source.Description, ct => source.RunAsync(channel.Writer, ct), meters, stop.Token),
            KeepRunningAsync(judge.Watch.Name, ct => judge.RunAsync(channel.Reader, ct), meters, stop.Token));
        return new RunningWatch(judge.Watch, source, stop, run);
    }

    /// <summary>Until cancelled: every <see cref="SilenceCheckInterval"/>, one warning for each watch that just fell silent far longer than usual.</summary>
    private async Task IdleAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(SilenceCheckInterval, _time, cancellationToken);
                CheckSilence();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>A watch's source (reading back <paramref name="readBack"/> of history first) and judge, counting into the metrics when there are any.</summary>
    private (ILogSource Source, WatchJudge Judge) Build(WatchConfig watch, TimeSpan readBack, ConfigFile config)
    {
        var meters = _metrics?.ForWatch(watch.Name);
        var judge = new WatchJudge(watch, FilterCatalog.Create(watch, config), _bans, _log, _time, meters);
        ILogSource source = watch.JournalUnit is { Length: > 0 } unit
            ? new JournalSource(unit, readBack, _time, _log) { OnCut = meters is null ? null : meters.LineCut }
            : new LogFileTail(watch.Path ?? throw new ConfigException($"watch '{watch.Name}' has neither path nor journal_unit"), readBack, _time, _log) { OnCut = meters is null ? null : meters.LineCut };
        return (source, judge);
    }

    /// <summary>A service loop: logs anything unexpected and starts the part again, until cancelled.</summary>
    private async Task KeepRunningAsync(string what, Func<CancellationToken, Task> run, WatchMeters? meters, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await run(cancellationToken);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                DetectionLog.DetectionFailed(_log, ex, what, RestartDelay.TotalSeconds);
                meters?.Failed();
                try
                {
                    await Task.Delay(RestartDelay, _time, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }
}
