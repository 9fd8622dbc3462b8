using Serilog;
using Tarpit.Config;
using Tarpit.Firewall;
using Tarpit.Geo;
using Tarpit.Store;

namespace Tarpit.Bans;

/// <summary>
/// Everything the daemon needs for bans, built from the config: the ban service (give it to detection, decoys,
/// fail2ban), the session sink (give it to the tarpits, which run it and drain it at shutdown) and
/// <see cref="RunFirewallLoopAsync"/>, which keeps the firewall in step with the store until the agent stops. It owns
/// the GeoIP lookup (dispose at shutdown).
/// </summary>
internal sealed class BanRuntime : IDisposable
{
    private BanRuntime(FirewallAvailability availability, BanStore store, GeoLookup geo, BanService bans, SessionStoreSink sessions, FirewallReconciler reconciler)
    {
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

    /// <summary>
    /// Opens the store (throws <see cref="OperatorException"/> when it cannot) and picks nft, or an observing
    /// firewall that only logs "would ban" when <see cref="FirewallAvailability.Check"/> says no.
    /// </summary>
    public static BanRuntime Create(ConfigFile config, ILogger log, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(config);
        var availability = FirewallAvailability.Check(config.Firewall);
        var store = BanStore.Open(config.Agent.StateDir);
        IFirewall firewall = availability.Available
            ? new NftFirewall(config.Firewall, config.Tarpits, log)
            : new ObservingFirewall(log);
        var batcher = new FirewallBatcher(firewall, log);
        var geo = GeoLookup.Open(config.GeoIp, log, time);
        var bans = new BanService(config.Firewall, store, batcher, time, log, geo, new GeoAllowlist(config.GeoIp, geo));
        var reconciler = new FirewallReconciler(config.Firewall, firewall, batcher, store, time, log);
        return new BanRuntime(availability, store, geo, bans, new SessionStoreSink(store, log, time, geo), reconciler);
    }

    /// <summary>
    /// Runs the firewall loop until cancelled; on the way out it applies what the ban service queued. Stop it last:
    /// the tarpits' and detection's bans reach the firewall through it.
    /// </summary>
    public Task RunFirewallLoopAsync(CancellationToken cancellationToken) => Reconciler.RunAsync(cancellationToken);

    /// <summary>Stops watching the GeoIP databases and releases them.</summary>
    public void Dispose() => Geo.Dispose();
}
