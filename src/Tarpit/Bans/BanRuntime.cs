using Serilog;
using Tarpit.Config;
using Tarpit.Firewall;
using Tarpit.Geo;
using Tarpit.Store;

namespace Tarpit.Bans;

/// <summary>
/// Everything the daemon needs for bans, built from the config: the ban service (give it to detection, decoys,
/// fail2ban), the session sink (give it to the tarpits' event dispatcher) and one <see cref="RunAsync"/> that keeps
/// the firewall and the store in step until the agent stops. It owns the GeoIP lookup (dispose at shutdown).
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
        return new BanRuntime(availability, store, geo, bans, new SessionStoreSink(store, log, geo), reconciler);
    }

    /// <summary>Runs the firewall loop and the session writer until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Reconciler.RunAsync(cancellationToken), Sessions.RunAsync(cancellationToken));

    /// <summary>Stops watching the GeoIP databases and releases them.</summary>
    public void Dispose() => Geo.Dispose();
}
