using Tarpit.Firewall;
using Tarpit.Geo;
using Tarpit.Store;

namespace Tarpit.Bans;

/// <summary>
/// Everything the daemon needs for bans, built from the config: the ban service (give it to detection, decoys,
/// fail2ban), the session sink (give it to the tarpits, which run it and drain it at shutdown) and
/// <see cref="RunFirewallLoopAsync"/>, which keeps the firewall in step with the store until the agent stops. Built by
/// the agent's composition root (<c>Hosting/BanStack</c>), which owns the store and the GeoIP lookup and disposes them.
/// </summary>
internal sealed class BanRuntime
{
    public BanRuntime(
        FirewallAvailability availability,
        BanStore store,
        GeoLookup geo,
        BanService bans,
        SessionStoreSink sessions,
        FirewallReconciler reconciler,
        BanFollower follower,
        PendingBans pending)
    {
        Follower = follower;
        Pending = pending;
        Availability = availability;
        Geo = geo;
        Store = store;
        Bans = bans;
        Sessions = sessions;
        Reconciler = reconciler;
    }

    /// <summary>Whether the firewall is driven; when not, the reason to log once at start.</summary>
    public FirewallAvailability Availability { get; }

    public BanStore Store { get; }

    /// <summary>Country and AS lookups (watching <c>geoip.city_db</c> / <c>asn_db</c>); give it to the connection log.</summary>
    public GeoLookup Geo { get; }

    public BanService Bans { get; }

    public SessionStoreSink Sessions { get; }

    public FirewallReconciler Reconciler { get; }

    /// <summary>Logs what the verbs stored and puts nested network bans back in the kernel when a wider one ends.</summary>
    public BanFollower Follower { get; }

    /// <summary>The bans decided while the store refused writes, waiting to be stored.</summary>
    public PendingBans Pending { get; }

    /// <summary>
    /// Stores the held bans once the store takes writes again, until cancelled; then one last attempt. Stop it after
    /// detection and before the firewall loop: what it stores still reaches nft.
    /// </summary>
    public Task RunPendingBansAsync(CancellationToken cancellationToken) => Pending.RunAsync(Bans.StoreHeldAsync, cancellationToken);

    /// <summary>
    /// Runs the firewall loop (and beside it the store follower) until cancelled; on the way out it applies what the
    /// ban service queued. Stop it last: the tarpits' and detection's bans reach the firewall through it.
    /// </summary>
    public async Task RunFirewallLoopAsync(CancellationToken cancellationToken)
    {
        var following = Follower.RunAsync(cancellationToken);
        await Reconciler.RunAsync(cancellationToken);
        try
        {
            await following;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
