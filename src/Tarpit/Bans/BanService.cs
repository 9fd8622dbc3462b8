using System.Net;
using Serilog;
using Tarpit.Config;
using Tarpit.Firewall;
using Tarpit.Geo;
using Tarpit.Net;
using Tarpit.Store;

namespace Tarpit.Bans;

/// <summary>
/// The one way into a ban: allowlists first (firewall.allow, then geoip.allow_asns / allow_countries), then escalation,
/// the store, and last the firewall (through a batching sink). The store is the memory: a firewall failure leaves the
/// ban stored, to be applied by the next flush or reconcile. With a <see cref="GeoLookup"/>, each ban is stored and
/// logged with the country and AS of its target.
/// </summary>
internal sealed partial class BanService(
    FirewallConfig firewall,
    BanStore store,
    IFirewallChangeSink changes,
    TimeProvider time,
    ILogger log,
    GeoLookup? geo = null,
    GeoAllowlist? geoAllowlist = null) : IBanService
{
    /// <summary>
    /// A refresh that would move the expiry by less than this (or a tenth of the ban's length, when shorter) is skipped:
    /// a redirected client reconnects often, and each refresh is a store write and an nft call.
    /// </summary>
    public static readonly TimeSpan RefreshGranularity = TimeSpan.FromMinutes(1);

    public bool IsAllowed(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var host = Networks.Host(address);
        return AllowedBy(host) is not null || GeoAllowReason(host) is not null;
    }

    /// <summary>The allowlist entry that overlaps the target, or null.</summary>
    public IPNetwork? AllowedBy(IPNetwork target)
    {
        foreach (var allow in firewall.Allow)
        {
            if (Networks.Overlap(allow, target))
            {
                return allow;
            }
        }

        return null;
    }

    public async Task<BanOutcome> BanAsync(BanRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (await BanAllAsync([request], cancellationToken))[0];
    }

    /// <summary>
    /// Stores every request in one transaction: a burst pays one commit, not one per ban. The firewall changes are
    /// submitted after the commit, so the store still knows every ban that may reach the kernel; a crash between the
    /// two loses nothing, as the reconciler applies stored bans at start. Throws <see cref="StoreFaultException"/>
    /// when the store refuses the write (nothing submitted then); <see cref="BanAllAsync"/> holds the bans instead.
    /// </summary>
    private async Task<IReadOnlyList<BanOutcome>> StoreAllAsync(IReadOnlyList<BanRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var steps = store.RunInTransaction(() => requests.Select(Decide).ToList());
        var outcomes = new List<BanOutcome>(steps.Count);
        foreach (var step in steps)
        {
            foreach (var removal in step.Removals)
            {
                await changes.SubmitAsync(removal, cancellationToken);
            }

            step.Announce?.Invoke();
            outcomes.Add(step.Add is { } add ? await SubmitAsync(add, step.Outcome, cancellationToken) : step.Outcome);
        }

        return outcomes;
    }

    /// <summary>The synchronous part of a ban: allowlists, escalation and the store writes; the firewall changes are returned.</summary>
    private BanStep Decide(BanRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var target = request.Target;
        var shown = NetworkText.Format(target);
        if (AllowedBy(target) is { } allow)
        {
            BansLog.RefusedByAllow(log, shown, allow.ToString());
            Metrics?.BanRefused("firewall_allow");
            return new BanStep(
                new BanOutcome(false, $"refused: {shown} is allowlisted by firewall.allow entry {allow}; nothing changed", null, 0)
                {
                    Refusal = BanRefusal.Allowlisted,
                });
        }

        if (GeoAllowReason(target) is { } geoReason)
        {
            Metrics?.BanRefused("geoip");
            return new BanStep(RefuseByGeo(target, shown, geoReason));
        }

        var now = time.GetUtcNow();
        var open = store.Covering(target, now);
        var wider = open.Where(b => b.Target != target).ToList();
        // The target's own ban in force is among the covering ones (the same lookup as BanStore.FindActive).
        var active = open.Where(b => b.Target == target).MaxBy(b => b.Id);
        if (active is not null)
        {
            return Refreshing(active, request, wider, now, shown);
        }

        var (previousBans, firstSeen) = store.History(target);
        TimeSpan? duration = request.Permanent ? null : request.Duration ?? Escalation.Duration(firewall, previousBans);
        var expiresAt = duration is { } d ? now + d : (DateTimeOffset?)null;
        // One incident is one ban: a restored ban (fail2ban re-reporting its own after a restart) is not a new one.
        // A fleet decision is no incident of this host: it never raises the count later local bans escalate from.
        var banCount = request.Remote || (request.Restored && previousBans > 0) ? previousBans : previousBans + 1;
        var reason = Text.AttackerText.Escape(request.Reason, ReasonMaxLength);
        var source = Text.AttackerText.Escape(request.Source, SourceMaxLength);
        var where = Where(target);
        var ban = store.Insert(new BanRecord(0, target, source, reason, firstSeen ?? now, now, expiresAt, duration, banCount, null, Geo: where));
        NoteInserted(ban.Id);
        Metrics?.BanCreated(source);
        Outbox?.BanStored(ban, request);

        // A ban never shortens another: the bans inside this one keep their own ends. Networks inside it leave the
        // kernel's interval set while this one is there (nft refuses nested intervals); the follower puts them back.
        var shadowed = KernelView.IsShadowed(target, wider);
        var inside = store.Inside(target, now);
        var removals = shadowed || inside.Count == 0
            ? []
            : KernelView.InKernel(inside).Where(b => !Networks.IsHost(b.Target)).Select(b => FirewallChange.Remove(b.Target)).ToList();
        if (removals.Count > 0 || shadowed)
        {
            PrefixesChanged = true;
        }

        return new BanStep(
            Created(ban, request, wider, inside, now, shown),
            // No ban of its own in force: a create, unless the kernel still holds the element of one that just ended.
            shadowed ? null : FirewallChange.Create(target, duration),
            removals,
            // The fleet's decisions come by the thousand (a startup snapshot): their client logs one line per pull.
            request.Remote ? null : () =>
            {
                BansLog.Banned(Enriched(target), shown, duration is { } t ? DurationSyntax.Format(t) : "ever", banCount, source, reason);
                if (!request.Restored)
                {
                    Observer?.Decided(ban);
                }
            });
    }

    /// <summary>
    /// The outcome of a new ban. A fleet decision's carries no message and no notes: its one caller, the bouncer, counts
    /// outcomes and logs a line per pull, and a startup snapshot's 100,000 sentences nobody read were ~4 % of its
    /// pulling thread (perf, bench/crowdsec/alone 100000).
    /// </summary>
    private static BanOutcome Created(BanRecord ban, BanRequest request, IReadOnlyList<BanRecord> wider, IReadOnlyList<BanRecord> inside, DateTimeOffset now, string shown)
    {
        if (request.Remote)
        {
            return new BanOutcome(true, "", ban.ExpiresAt, ban.BanCount);
        }

        var message = ban.Duration is { } length
            ? $"banned {shown} for {DurationSyntax.Format(length)} (ban #{ban.BanCount})"
            : $"banned {shown} permanently (ban #{ban.BanCount})";
        return new BanOutcome(true, message, ban.ExpiresAt, ban.BanCount) { Notes = Notes(ban, wider, inside, now) };
    }

    private async Task<bool> RefreshStoredAsync(IPAddress address, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var covering = store.Covering(Networks.Host(address), now);
        var ban = covering is [var first, ..] ? first : null;
        if (ban is null)
        {
            return false;
        }

        if (ban.Duration is not { } duration || ban.ExpiresAt is not { } expires || now + duration - expires < GranularityOf(duration))
        {
            return true;
        }

        Updated(ban with { ExpiresAt = now + duration, LastHit = now });
        RefreshWritten();
        BansLog.Refreshed(log, NetworkText.Format(ban.Target), DurationSyntax.Format(duration));
        if (!KernelView.IsShadowed(ban.Target, covering))
        {
            await SubmitAsync(FirewallChange.Add(ban.Target, duration), new BanOutcome(true, "", now + duration, ban.BanCount), cancellationToken);
        }

        return true;
    }

    /// <summary>The refresh step for a ban of this length: <see cref="RefreshGranularity"/>, or a tenth of a shorter ban.</summary>
    internal static TimeSpan GranularityOf(TimeSpan duration) => TimeSpan.FromTicks(Math.Min(RefreshGranularity.Ticks, duration.Ticks / 10));

    private BanRecord Updated(BanRecord ban)
    {
        store.Update(ban);
        return ban;
    }

    private async Task<BanOutcome> SubmitAsync(FirewallChange change, BanOutcome outcome, CancellationToken cancellationToken)
    {
        try
        {
            await changes.SubmitAsync(change, cancellationToken);
            return outcome;
        }
        catch (FirewallException ex)
        {
            BansLog.BanStoredFirewallFailed(log, NetworkText.Format(change.Target), ex.Message);
            return outcome with { Applied = false, FirewallError = ex.Message };
        }
    }
}
