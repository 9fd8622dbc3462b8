using Serilog;
using Tarpit.Config;
using Tarpit.Firewall;
using Tarpit.Net;
using Tarpit.Store;

namespace Tarpit.Bans;

/// <summary>
/// The daemon's eye on the store, once a second (and exactly when a wider network ban ends): it logs the bans and
/// unbans other processes stored (the <c>ban</c> / <c>unban</c> verbs, so fail2ban's too), so they reach the
/// daemon's log and event file, and it puts a network ban shadowed by a wider one (<see cref="KernelView"/>) into the
/// kernel when the wider one ends. The check is <c>PRAGMA data_version</c>, a counter SQLite keeps in shared memory:
/// the verbs pay nothing for it, and an idle daemon reads no rows.
/// </summary>
internal sealed class BanFollower(BanStore store, BanService bans, IFirewallChangeSink changes, TimeProvider time, ILogger log)
{
    /// <summary>How often the store is looked at.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After a wider ban's end, how long to wait before writing the networks inside it: its kernel element was added a
    /// moment after the store's row (the nft call), and nft refuses an overlapping interval until it is gone.
    /// </summary>
    public static readonly TimeSpan ExpiryMargin = TimeSpan.FromMilliseconds(250);

    private long _version;
    private long _lastId;
    private DateTimeOffset _liftedSince;
    private HashSet<long> _shadowed = [];
    private DateTimeOffset? _nextEnd;
    private bool _started;

    /// <summary>When the next wider ban that shadows another ends (null when none does); for tests.</summary>
    internal DateTimeOffset? NextEnd => _nextEnd;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // The bookmark is taken at once (the firewall loop starts before the tarpits are ready), so that a verb's ban
        // in the daemon's first second is logged too.
        await TryTickAsync(cancellationToken);
        while (true)
        {
            var wait = Interval;
            if (_nextEnd is { } end && end + ExpiryMargin - time.GetUtcNow() is var until && until < wait)
            {
                wait = until > TimeSpan.Zero ? until : TimeSpan.Zero;
            }

            await Task.Delay(wait, time, cancellationToken);
            await TryTickAsync(cancellationToken);
        }
    }

    private async Task TryTickAsync(CancellationToken cancellationToken)
    {
        try
        {
            await TickAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The top of a service loop: a store failure is logged and the next tick tries again.
            BansLog.FollowFailed(log, ex);
        }
    }

    /// <summary>One look at the store (the first one only takes note of where it stands).</summary>
    internal async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!_started)
        {
            _version = store.DataVersion();
            _lastId = store.LastBanId();
            _liftedSince = now;
            bans.TakeInserted(_lastId);
            _started = true;
            await ScheduleAsync(now, cancellationToken);
            return;
        }

        var version = store.DataVersion();
        var others = version != _version;
        _version = version;
        if (others)
        {
            LogOthers();
        }
        else
        {
            SkipOwn();
        }

        if (others || bans.TakePrefixesChanged() || (_nextEnd is { } end && now >= end))
        {
            await ScheduleAsync(now, cancellationToken);
        }
    }

    /// <summary>Another process wrote: log the bans it stored and the unbans it made (this process logged its own).</summary>
    private void LogOthers()
    {
        var rows = store.ChangedSince(_lastId, _liftedSince);
        var lastId = rows.Count == 0 ? _lastId : Math.Max(_lastId, rows.Max(r => r.Id));
        var own = bans.TakeInserted(lastId);
        foreach (var row in rows)
        {
            var shown = NetworkText.Format(row.Target);
            if (row.Id > _lastId && !own.Contains(row.Id))
            {
                BansLog.BannedElsewhere(log, shown, row.Duration is { } d ? DurationSyntax.Format(d) : "ever", row.BanCount, row.Source, row.Reason);
                // The verbs (fail2ban's action, an admin) count nothing themselves: the daemon counts what they stored.
                bans.Metrics?.BanCreated(row.Source);
                if (!BanSource.IsRemote(row.Source))
                {
                    bans.Observer?.Decided(row);
                }
            }

            if (row.UnbannedAt is { } lifted && lifted >= _liftedSince)
            {
                BansLog.UnbannedElsewhere(log, shown);
            }
        }

        _lastId = lastId;
        var lastLifted = rows.Select(r => r.UnbannedAt).Where(t => t >= _liftedSince).Max();
        if (lastLifted is { } l)
        {
            _liftedSince = l + TimeSpan.FromMilliseconds(1);
        }
    }

    /// <summary>
    /// Nobody else wrote: every row stored since is this process's own, so the bookmark moves on and the ids noted
    /// are dropped (their memory stays bounded). The counter is read again after the id: a write in between waits.
    /// </summary>
    private void SkipOwn()
    {
        var lastId = store.LastBanId();
        if (lastId == _lastId || store.DataVersion() != _version)
        {
            return;
        }

        bans.TakeInserted(lastId);
        _lastId = lastId;
    }

    /// <summary>
    /// Networks that were shadowed and are not any more (the wider ban ended or was lifted) go into the kernel with
    /// the time they have left; then the next end of a shadowing ban is noted.
    /// </summary>
    private async Task ScheduleAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var prefixes = store.ActivePrefixes(now);
        var targets = KernelView.Prefixes(prefixes);
        var shadowed = prefixes.Where(b => KernelView.IsShadowed(b.Target, targets)).ToList();
        foreach (var back in prefixes.Where(b => _shadowed.Contains(b.Id) && !KernelView.IsShadowed(b.Target, targets)))
        {
            var left = BanService.Remaining(back, now);
            BansLog.NestedBack(log, NetworkText.Format(back.Target), left);
            await changes.SubmitAsync(FirewallChange.Add(back.Target, back.Remaining(now)), cancellationToken);
        }

        _shadowed = [.. shadowed.Select(b => b.Id)];
        _nextEnd = prefixes
            .Where(wider => wider.ExpiresAt is not null && shadowed.Any(s => s.Id != wider.Id && Networks.Contains(wider.Target, s.Target)))
            .Select(wider => wider.ExpiresAt)
            .Min();
    }
}
