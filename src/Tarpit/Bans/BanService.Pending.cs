using Tarpit.Config;
using Tarpit.Firewall;
using Tarpit.Net;
using Tarpit.Store;

namespace Tarpit.Bans;

internal sealed partial class BanService
{
    /// <summary>
    /// The daemon's queue for bans decided while the store refuses writes; null for a verb, which reports the fault
    /// instead (one sentence, <see cref="ExitCodes.StoreUnavailable"/>). Set once by the composition root.
    /// </summary>
    public PendingBans? Pending { get; set; }

    /// <summary>Told of each new ban inside its transaction (the AbuseIPDB outbox); null when nothing reports. Set once by the composition root.</summary>
    public IBanOutbox? Outbox { get; set; }

    /// <summary>The daemon's metrics (new bans by source, refusals by allowlist), or null: the verbs count nothing.</summary>
    public Metrics.AgentMetrics? Metrics { get; set; }

    /// <summary>
    /// Bans every request in order, as <see cref="BanAsync"/> would one after the other, but stores them in one
    /// transaction (<see cref="StoreAllAsync"/>). When the store refuses the write, or already did and has not
    /// recovered, and the daemon holds <see cref="Pending"/> bans, the requests are held there and redirected at once.
    /// </summary>
    public async Task<IReadOnlyList<BanOutcome>> BanAllAsync(IReadOnlyList<BanRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (Pending is not { } pending)
        {
            return await StoreAllAsync(requests, cancellationToken);
        }

        // While an episode lasts, the held bans go first (order matters) and each batch does not wait out a lock.
        if (pending.Fault is { } ongoing)
        {
            return await HoldAllAsync(pending, requests, ongoing, cancellationToken);
        }

        try
        {
            return await StoreAllAsync(requests, cancellationToken);
        }
        catch (StoreFaultException ex)
        {
            return await HoldAllAsync(pending, requests, ex, cancellationToken);
        }
    }

    /// <summary>What <see cref="PendingBans"/> runs to store what it holds: the store path, which throws on a fault.</summary>
    internal async Task StoreHeldAsync(IReadOnlyList<BanRequest> requests, CancellationToken cancellationToken) =>
        await StoreAllAsync(requests, cancellationToken);

    /// <summary>
    /// The store refused these requests: allowlists first, as always (an allowlisted address is never redirected on any
    /// path), then each is held and redirected now with its first ban length, as an
    /// <see cref="FirewallChangeKind.Ensure"/> that never shortens a redirect already in the kernel.
    /// </summary>
    private async Task<IReadOnlyList<BanOutcome>> HoldAllAsync(PendingBans pending, IReadOnlyList<BanRequest> requests, StoreFaultException fault, CancellationToken cancellationToken)
    {
        var outcomes = new List<BanOutcome>(requests.Count);
        var now = time.GetUtcNow();
        foreach (var request in requests)
        {
            var target = request.Target;
            var shown = NetworkText.Format(target);
            if (AllowedBy(target) is { } allow)
            {
                BansLog.RefusedByAllow(log, shown, allow.ToString());
                outcomes.Add(new BanOutcome(false, $"refused: {shown} is allowlisted by firewall.allow entry {allow}; nothing changed", null, 0)
                {
                    Refusal = BanRefusal.Allowlisted,
                });
                continue;
            }

            if (GeoAllowReason(target) is { } geoReason)
            {
                outcomes.Add(RefuseByGeo(target, shown, geoReason));
                continue;
            }

            TimeSpan? duration = request.Permanent ? null : request.Duration ?? Escalation.Duration(firewall, 0);
            var banTime = duration is { } d ? DurationSyntax.Format(d) : "ever";
            var held = pending.Hold(request, duration, fault);
            BansLog.BanHeld(Enriched(target), shown, banTime, held, fault.FaultName);
            var outcome = new BanOutcome(
                true,
                held
                    ? $"redirected {shown} for {banTime}, not stored yet ({fault.FaultName}): held and retried"
                    : $"redirected {shown} for {banTime}, not stored ({fault.FaultName}; {PendingBans.Capacity} bans already held)",
                duration is { } length ? now + length : null,
                0);
            outcomes.Add(await SubmitAsync(FirewallChange.Ensure(target, duration), outcome, cancellationToken));
        }

        return outcomes;
    }
}
