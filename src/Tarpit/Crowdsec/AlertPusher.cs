using System.Globalization;
using System.Threading.Channels;
using Serilog;
using Tarpit.Bans;
using Tarpit.Config;
using Tarpit.Net;
using Tarpit.Store;

namespace Tarpit.Crowdsec;

/// <summary>
/// The watcher role: every ban decided here (<see cref="IBanObserver"/>: never a fleet decision, never a restored
/// ban) becomes an alert with its decision, scenario <c>tarpit-agent/SOURCE</c>, posted in batches. The queue is
/// bounded and the ban path only enqueues (<see cref="Decided"/> never waits): a full queue drops the newest alert and
/// counts it, a LAPI that is down keeps the batch and retries with backoff, warning once per episode.
/// </summary>
internal sealed class AlertPusher(CrowdsecConfig config, ILapiAlerts lapi, TimeProvider time, ILogger log) : IBanObserver
{
    /// <summary>Bound on the alerts waiting: a 10,000-offender burst fits whole; beyond it alerts are dropped (and counted).</summary>
    public const int QueueCapacity = 20_000;

    /// <summary>Alerts per POST: one request per batch, not one per ban.</summary>
    public const int BatchSize = 500;

    /// <summary>A batch waits this long for more alerts once it has one: a burst is sent in full batches.</summary>
    public static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(200);

    /// <summary>The decision a permanent ban carries: ten years, as CrowdSec has no permanent decision.</summary>
    public static readonly TimeSpan PermanentDuration = TimeSpan.FromDays(3650);

    private readonly Channel<LapiAlert> _queue = Channel.CreateBounded<LapiAlert>(new BoundedChannelOptions(QueueCapacity)
    {
        // Wait mode, but only TryWrite is used: it returns false when full (DropWrite would say true and drop silently).
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    private long _dropped;

    /// <summary>Alerts dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Decided(BanRecord ban)
    {
        ArgumentNullException.ThrowIfNull(ban);
        if (!BanSource.IsRemote(ban.Source) && !_queue.Writer.TryWrite(Alert(ban)))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Sends until cancelled; then what is queued gets one last attempt.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        CrowdsecLog.PusherStarted(log, config.LapiUrl.ToString(), config.MachineLogin ?? "");
        var batch = new List<LapiAlert>(BatchSize);
        var failures = 0;
        try
        {
            while (await _queue.Reader.WaitToReadAsync(cancellationToken))
            {
                await Task.Delay(BatchWindow, time, cancellationToken);
                while (batch.Count < BatchSize && _queue.Reader.TryRead(out var alert))
                {
                    batch.Add(alert);
                }

                while (batch.Count > 0)
                {
                    try
                    {
                        await lapi.PushAsync(batch, cancellationToken);
                        if (failures > 0)
                        {
                            CrowdsecLog.PushBack(log);
                        }

                        CrowdsecLog.Pushed(log, batch.Count);
                        failures = 0;
                        batch.Clear();
                    }
                    catch (LapiException ex)
                    {
                        if (failures++ == 0)
                        {
                            CrowdsecLog.PushFailed(log, ex.Message);
                        }

                        await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Min(failures, 5)))), time, cancellationToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The alert of one ban: its target as source, its decision with the time it has, our scenario name.</summary>
    internal LapiAlert Alert(BanRecord ban)
    {
        var now = time.GetUtcNow();
        var host = Networks.IsHost(ban.Target);
        var value = NetworkText.Format(ban.Target);
        var scenario = "tarpit-agent/" + ScenarioPart(ban.Source);
        var left = ban.ExpiresAt is { } end ? end - now : PermanentDuration;
        var duration = ((long)Math.Max(1, Math.Ceiling(left.TotalSeconds))).ToString(CultureInfo.InvariantCulture) + "s";
        var stamp = ban.BannedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return new LapiAlert
        {
            Scenario = scenario,
            Message = $"{value} banned by tarpit-agent on {config.MachineLogin} ({ScenarioPart(ban.Source)})",
            StartAt = stamp,
            StopAt = stamp,
            Events = [new LapiEvent { Timestamp = stamp, Meta = [new LapiMeta { Key = "source", Value = ScenarioPart(ban.Source) }] }],
            Source = host
                ? new LapiSource { Scope = "Ip", Value = value, Ip = value }
                : new LapiSource { Scope = "Range", Value = value, Range = value },
            Decisions =
            [
                new LapiDecision { Origin = Origin, Type = "ban", Scope = host ? "Ip" : "Range", Value = value, Duration = duration, Scenario = scenario },
            ],
        };
    }

    /// <summary>The decisions' origin: <c>tarpit-agent@LOGIN</c>, within the bound the bouncers read origins with.</summary>
    private string Origin
    {
        get
        {
            var origin = "tarpit-agent@" + config.MachineLogin;
            return origin.Length <= DecisionReader.MaxOriginLength ? origin : origin[..DecisionReader.MaxOriginLength];
        }
    }

    /// <summary>A source name as a scenario part: lower case letters, digits, '-', '_' and '.', at most 32.</summary>
    private static string ScenarioPart(string source)
    {
        var part = new string([.. source.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').Take(BanSource.MaxLength)]);
        return part.Length == 0 ? "ban" : part;
    }
}
