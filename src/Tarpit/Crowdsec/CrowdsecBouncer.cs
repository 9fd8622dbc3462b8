using Serilog;
using Tarpit.Bans;
using Tarpit.Config;
using Tarpit.Store;

namespace Tarpit.Crowdsec;

/// <summary>
/// The bouncer role: pulls the LAPI's decision stream (<c>startup=true</c> first, then the changes every
/// <c>pull_interval</c>, and the whole set again every <c>resync_interval</c>, which brings what a change pull missed) and turns the decisions the filters accept into redirects through the ban service, which
/// applies the allowlists and the lifecycle rules (a remote decision never shortens a local ban and never escalates).
/// They are stored (source <c>crowdsec:ORIGIN</c>, their remaining time as expiry), so the reconciler keeps them
/// and a restart while the LAPI is down keeps them until their own end. A LAPI that cannot be reached changes
/// nothing: the pull is retried with backoff, one warning per episode, one line when it is back.
/// </summary>
internal sealed partial class CrowdsecBouncer(CrowdsecConfig config, ILapiDecisions lapi, BanService bans, TimeProvider time, ILogger log)
{
    /// <summary>A failing pull is retried after pull_interval, doubled each time, up to this (or pull_interval when longer).</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>The shortest kernel timeout given to a decision about to end: nft counts in milliseconds, a redirect shorter than this is noise.</summary>
    public static readonly TimeSpan MinRemaining = TimeSpan.FromSeconds(1);

    private readonly DecisionReader _reader = new(config);

    private bool _startup = true;
    private bool _everSynced;
    private DateTimeOffset _lastSnapshot;
    private DateTimeOffset? _downSince;
    private int _failures;

    /// <summary>True once a startup snapshot was applied: from then on the pulls are changes.</summary>
    public bool Synced => !_startup;

    /// <summary>Pulls until cancelled. Never throws for the LAPI or the store: both are retried.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        CrowdsecLog.BouncerStarted(log, config.LapiUrl.ToString(), DurationSyntax.Format(config.PullInterval));
        while (!cancellationToken.IsCancellationRequested)
        {
            var delay = await PullOnceAsync(cancellationToken);
            try
            {
                await Task.Delay(delay, time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One pull and its application; returns how long to wait before the next one.</summary>
    internal async Task<TimeSpan> PullOnceAsync(CancellationToken cancellationToken)
    {
        var kind = _startup ? (_everSynced ? CrowdsecLog.PullKind.Resync : CrowdsecLog.PullKind.Startup)
            : time.GetUtcNow() - _lastSnapshot >= config.ResyncInterval ? CrowdsecLog.PullKind.Resync
            : CrowdsecLog.PullKind.Changes;
        bool truncated;
        try
        {
            truncated = await PullAndApplyAsync(kind, cancellationToken);
        }
        catch (LapiException ex)
        {
            _failures++;
            var backoff = Backoff(_failures);
            if (_downSince is null)
            {
                _downSince = time.GetUtcNow();
                CrowdsecLog.Unreachable(log, ex.Message, DurationSyntax.Format(MaxWait));
            }

            return backoff;
        }
        catch (StoreFaultException ex)
        {
            // What was lifted or stored stays so; the next pull starts over from a snapshot, which repeats nothing twice.
            CrowdsecLog.ApplyFailed(log, ex.Message);
            _startup = true;
            return Backoff(1);
        }

        if (_downSince is { } since)
        {
            CrowdsecLog.Back(log, DurationSyntax.Format(TimeSpan.FromSeconds(Math.Max(1, Math.Round((time.GetUtcNow() - since).TotalSeconds)))));
            _downSince = null;
        }

        _failures = 0;
        _startup = false;
        if (kind != CrowdsecLog.PullKind.Changes)
        {
            _everSynced = true;
            _lastSnapshot = time.GetUtcNow();
        }

        if (truncated)
        {
            CrowdsecLog.Truncated(log, DecisionStreamReader.MaxDecisionsPerList);
        }

        return config.PullInterval;
    }

    private TimeSpan MaxWait => config.PullInterval > MaxBackoff ? config.PullInterval : MaxBackoff;

    private TimeSpan Backoff(int failures)
    {
        var factor = Math.Pow(2, Math.Min(failures - 1, 16));
        var wait = TimeSpan.FromTicks((long)Math.Min(config.PullInterval.Ticks * factor, MaxWait.Ticks));
        return wait;
    }
}
