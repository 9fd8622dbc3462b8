using Serilog;
using Tarpit.Config;
using Tarpit.Firewall;
using Tarpit.Geo;
using Tarpit.Store;

namespace Tarpit.Bans;

/// <summary>
/// What the <c>ban</c>, <c>unban</c> and <c>list</c> verbs work with: the store and nft directly (no daemon needed),
/// the same ban service the daemon uses (GeoIP allowlists and enrichment included), and a batcher flushed once at the
/// end together with the table definition, so a verb (a burst included) is one nft call. Dispose it to release the GeoIP databases.
/// </summary>
internal sealed class AdminSession : IDisposable
{
    /// <summary>A verb runs for a moment: no directory watcher; the slow check never fires before it ends.</summary>
    private static readonly GeoLookupOptions GeoOptions = GeoLookupOptions.Default with { WatchDirectories = false };

    private readonly GeoLookup _geo;

    private AdminSession(ConfigFile config, FirewallAvailability availability, BanStore store, IFirewall firewall, FirewallBatcher batcher, GeoLookup geo, BanService bans)
    {
        _geo = geo;
        Config = config;
        Availability = availability;
        Store = store;
        Firewall = firewall;
        Batcher = batcher;
        Bans = bans;
    }

    public ConfigFile Config { get; }

    public FirewallAvailability Availability { get; }

    public BanStore Store { get; }

    public IFirewall Firewall { get; }

    public FirewallBatcher Batcher { get; }

    public BanService Bans { get; }

    /// <summary>True when changes only go to the store and the log (<c>firewall.enabled = false</c>).</summary>
    public bool Observing => !Config.Firewall.Enabled;

    public static AdminSession Open(ConfigFile config, ILogger log, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(config);
        var availability = FirewallAvailability.Check(config.Firewall);
        var store = BanStore.Open(config.Agent.StateDir);
        IFirewall firewall = availability.Available ? new NftFirewall(config.Firewall, config.Tarpits, log) : new ObservingFirewall(log);
        var batcher = new FirewallBatcher(firewall, log);
        var geo = GeoLookup.Open(config.GeoIp, log, time, GeoOptions);
        var bans = new BanService(config.Firewall, store, batcher, time, log, geo, new GeoAllowlist(config.GeoIp, geo));
        return new AdminSession(config, availability, store, firewall, batcher, geo, bans);
    }

    public void Dispose() => _geo.Dispose();

    /// <summary>
    /// Before a change: the firewall must be usable (unless it is switched off). Throws <see cref="OperatorException"/>
    /// with the reason; nothing has changed yet then. The table itself is created by <see cref="FlushAsync"/>, in the
    /// same nft batch as the change.
    /// </summary>
    public void CheckFirewall()
    {
        if (!Observing && !Availability.Available)
        {
            throw new OperatorException($"The firewall is not usable: {Availability.Reason}. Nothing was changed.", 1);
        }
    }

    /// <summary>
    /// Sends the queued changes to nft in one atomic batch led by the table definition (idempotent: the offenders
    /// already in it stay), so a verb costs one nft process; then cuts the new offenders' established flows. With the
    /// firewall off, logs what it would have done. Throws <see cref="FirewallException"/> when nft fails.
    /// </summary>
    public Task<int> FlushAsync(CancellationToken cancellationToken) => Batcher.FlushWithTableAsync(cancellationToken);
}
