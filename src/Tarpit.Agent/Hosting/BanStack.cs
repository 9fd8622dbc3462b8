using Serilog;
using Tarpit.Bans;
using Tarpit.Config;
using Tarpit.Firewall;
using Tarpit.Geo;
using Tarpit.Reporting;
using Tarpit.Store;

namespace Tarpit.Agent.Hosting;

/// <summary>
/// The composition root of bans: the one place that builds them, for the daemon and for every verb alike. From the
/// config it checks whether the firewall is usable, opens the store, picks nft or the observing firewall (which only
/// logs "would ban"), and builds the batcher, the GeoIP lookup, the allowlists and the ban service. The daemon adds the
/// reconciler and the session writer (<see cref="ForDaemon"/>); the verbs wrap it in <see cref="AdminSession"/>. The
/// two differ in one parameter, <see cref="GeoLookupOptions"/>: a verb's lookup watches no directories. The stack
/// owns the store and the GeoIP lookup: disposing it closes both.
/// </summary>
internal sealed class BanStack : IDisposable
{
    private readonly ILogger _log;
    private readonly TimeProvider _time;

    private BanStack(ConfigFile config, ILogger log, TimeProvider time, FirewallAvailability availability, BanStore store, IFirewall firewall, GeoLookup geo, bool observe)
    {
        _log = log;
        _time = time;
        Config = config;
        Availability = availability;
        Store = store;
        Firewall = firewall;
        Geo = geo;
        Batcher = new FirewallBatcher(firewall);
        Bans = new BanService(config.Firewall, store, Batcher, time, log, geo, new GeoAllowlist(config.GeoIp, geo));
        if (config.AbuseIpDb.Enabled && !observe)
        {
            // The daemon's bans and a verb's alike queue their reports; only the daemon sends them (AgentHost). A
            // `run --observe` is a dry run: what it would ban is never reported, now or by a later run.
            Outbox = new ReportOutbox(config.AbuseIpDb, new ReportPolicy(config.AbuseIpDb, config.Watches), store, time, log);
            Bans.Outbox = Outbox;
        }
    }

    /// <summary>The daemon runs for months: its lookup watches the databases' directories and reloads a replaced file.</summary>
    public static GeoLookupOptions DaemonGeoIp => GeoLookupOptions.Default;

    /// <summary>A verb runs for a moment: no directory watcher; the slow check never fires before it ends.</summary>
    public static GeoLookupOptions VerbGeoIp { get; } = GeoLookupOptions.Default with { WatchDirectories = false };

    public ConfigFile Config { get; }

    /// <summary>Whether the firewall is driven; when not, the reason.</summary>
    public FirewallAvailability Availability { get; }

    public BanStore Store { get; }

    /// <summary>nft when <see cref="Availability"/> says so, else the observing firewall.</summary>
    public IFirewall Firewall { get; }

    public FirewallBatcher Batcher { get; }

    /// <summary>Country and AS lookups, shared by the ban service, the session sink and the connection log.</summary>
    public GeoLookup Geo { get; }

    public BanService Bans { get; }

    /// <summary>The AbuseIPDB outbox the ban service tells of new bans; null without <c>[abuseipdb]</c> and under <c>run --observe</c>.</summary>
    public ReportOutbox? Outbox { get; }

    /// <summary>
    /// Builds the stack; with <paramref name="observe"/> (<c>run --observe</c>) the firewall stays off whatever the
    /// config says. Throws <see cref="OperatorException"/> when the store cannot be opened; nothing stays open then.
    /// </summary>
    public static BanStack Build(ConfigFile config, ILogger log, TimeProvider time, GeoLookupOptions geoIp, bool observe = false)
    {
        ArgumentNullException.ThrowIfNull(config);
        var availability = FirewallAvailability.Check(config.Firewall, observe);
        var store = BanStore.Open(config.Agent.StateDir);
        try
        {
            foreach (var change in store.ModeChanges)
            {
                HostingLog.StateDirTightened(log, change);
            }

            IFirewall firewall = availability.Available
                ? new NftFirewall(config.Firewall, config.Tarpits)
                : new ObservingFirewall(log);
            return new BanStack(config, log, time, availability, store, firewall, GeoLookup.Open(config.GeoIp, log, time, geoIp), observe);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>
    /// What the daemon adds, once: the firewall reconciler and the session writer (the tarpits' events into the store).
    /// The stack keeps ownership of what they use.
    /// The daemon also holds the bans decided while the store refuses writes (<see cref="PendingBans"/>, which the
    /// ban service fills and the reconciler re-applies) and follows nft monitor when nft is driven.
    /// </summary>
    public BanRuntime ForDaemon()
    {
        // The daemon bans in bursts: most offenders are new, and the index answers that without SQL (TargetIndex).
        Store.IndexTargets();
        var pending = new PendingBans(_time, _log);
        Bans.Pending = pending;
        var monitor = Availability.Available ? new NftMonitor(Config.Firewall, _time, _log) : null;
        return new(
            Availability,
            Store,
            Geo,
            Bans,
            new SessionStoreSink(Store, _log, _time, Geo),
            new FirewallReconciler(Config.Firewall, Firewall, Batcher, Store, _time, _log, pending, monitor),
            new BanFollower(Store, Bans, Batcher, _time, _log),
            pending);
    }

    /// <summary>Stops watching the GeoIP databases and releases them, then closes the store.</summary>
    public void Dispose()
    {
        Geo.Dispose();
        Store.Dispose();
    }
}
