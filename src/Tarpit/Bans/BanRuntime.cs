using Serilog;
using Tarpit.Config;
using Tarpit.Firewall;
using Tarpit.Store;

namespace Tarpit.Bans;

/// <summary>
/// Everything the daemon needs for bans, built from the config: the ban service (give it to detection, decoys,
/// fail2ban), the session sink (give it to the tarpits' event dispatcher) and one <see cref="RunAsync"/> that keeps
/// the firewall and the store in step until the agent stops.
/// </summary>
internal sealed class BanRuntime
{
    private BanRuntime(FirewallAvailability availability, BanStore store, BanService bans, SessionStoreSink sessions, FirewallReconciler reconciler)
    {
        Availability = availability;
        Store = store;
        Bans = bans;
        Sessions = sessions;
        Reconciler = reconciler;
    }

    /// <summary>Whether the firewall is driven; when not, the reason to log once at start.</summary>
    public FirewallAvailability Availability { get; }

    public BanStore Store { get; }

    public BanService Bans { get; }

    public SessionStoreSink Sessions { get; }

    public FirewallReconciler Reconciler { get; }

    /// <summary>
    /// Opens the store (throws <see cref="OperatorException"/> when it cannot) and picks nft, or an observing
    /// firewall that only logs "would ban" when <see cref="FirewallAvailability.Check"/> says no.
    /// </summary>
    public static BanRuntime Create(TarpitConfig config, ILogger log, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(config);
        var availability = FirewallAvailability.Check(config.Firewall);
        var store = BanStore.Open(config.Agent.StateDir);
        IFirewall firewall = availability.Available
            ? new NftFirewall(config.Firewall, config.Tarpits, log)
            : new ObservingFirewall(log);
        var batcher = new FirewallBatcher(firewall, log);
        var bans = new BanService(config.Firewall, store, batcher, time, log);
        var reconciler = new FirewallReconciler(config.Firewall, firewall, batcher, store, time, log);
        return new BanRuntime(availability, store, bans, new SessionStoreSink(store, log), reconciler);
    }

    /// <summary>Runs the firewall loop and the session writer until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Reconciler.RunAsync(cancellationToken), Sessions.RunAsync(cancellationToken));
}
