using System.Net;
using Serilog;
using Tarpit.Agent.Listing;
using Tarpit.Bans;
using Tarpit.Config;
using Tarpit.Firewall;
using Tarpit.Net;
using Tarpit.Store;

namespace Tarpit.Agent.Hosting;

/// <summary>
/// What the <c>ban</c>, <c>unban</c> and <c>list</c> verbs work with: operations on the store and nft directly (no
/// daemon needed), through the same <see cref="BanStack"/> the daemon builds (GeoIP allowlists and enrichment
/// included). Changes are queued and go to nft in one batch at <see cref="FlushAsync"/>, together with the table
/// definition, so a verb (a burst included) is one nft call. Dispose it to close the store and the GeoIP databases.
/// </summary>
internal sealed class AdminSession : IDisposable
{
    private readonly BanStack _stack;
    private HashSet<IPNetwork>? _kernel;

    private AdminSession(BanStack stack) => _stack = stack;

    /// <summary>Whether nft is driven; when not, why (the <c>list</c> verb says it showed the store's view only).</summary>
    public FirewallAvailability Availability => _stack.Availability;

    /// <summary>True when changes only go to the store and the log (<c>firewall.enabled = false</c>).</summary>
    public bool Observing => !_stack.Config.Firewall.Enabled;

    /// <summary>Builds the verbs' stack: the daemon's, with a GeoIP lookup that watches no directories.</summary>
    public static AdminSession Open(ConfigFile config, ILogger log, TimeProvider time) =>
        new(BanStack.Build(config, log, time, BanStack.VerbGeoIp));

    /// <summary>The <c>firewall.allow</c> entry that covers <paramref name="target"/>, if any.</summary>
    public IPNetwork? AllowedBy(IPNetwork target) => _stack.Bans.AllowedBy(target);

    /// <summary>Why <c>[geoip]</c> allowlists <paramref name="target"/> (its AS or country), if it does.</summary>
    public string? GeoAllowReason(IPNetwork target) => _stack.Bans.GeoAllowReason(target);

    /// <summary>
    /// Before a change: the firewall must be usable (unless it is switched off). Throws <see cref="OperatorException"/>
    /// with the reason; nothing has changed yet then. The table itself is created by <see cref="FlushAsync"/>, in the
    /// same nft batch as the change.
    /// </summary>
    public void CheckFirewall()
    {
        if (!Observing && !Availability.Available)
        {
            throw new OperatorException($"The firewall is not usable: {Availability.Reason}. Nothing was changed.", ExitCodes.Failure);
        }
    }

    /// <summary>Stores the ban (escalated, allowlists first) and queues its nft change for <see cref="FlushAsync"/>.</summary>
    public Task<BanOutcome> BanAsync(BanRequest request, CancellationToken cancellationToken) =>
        _stack.Bans.BanAsync(request, cancellationToken);

    /// <summary>
    /// Lifts the ban in the store and queues its removal; a target in the kernel set but not in the store (added by
    /// hand or by an older store) is removed all the same. Throws <see cref="OperatorException"/> when nft cannot be read.
    /// </summary>
    public async Task<UnbanOutcome> UnbanAsync(IPNetwork target, CancellationToken cancellationToken)
    {
        var outcome = await _stack.Bans.UnbanAsync(target, cancellationToken);
        if (outcome.Result is not UnbanResult.NeverBanned || Observing || !Availability.Available)
        {
            return outcome;
        }

        var kernel = await KernelAsync(cancellationToken);
        if (!kernel.Contains(target))
        {
            return outcome;
        }

        await _stack.Batcher.SubmitAsync(FirewallChange.Remove(target), cancellationToken);
        return new UnbanOutcome(UnbanResult.Unbanned, $"unbanned {NetworkText.Format(target)} (it was in the nft set only)");
    }

    /// <summary>The bans in force whose source is <paramref name="source"/> (<c>unban --source</c>), or all of them (<c>unban --all</c>).</summary>
    public IReadOnlyList<IPNetwork> ActiveTargets(string? source, DateTimeOffset now) =>
        [.. _stack.Store.Active(now).Where(b => source is null || b.Source == source).Select(b => b.Target).Distinct()];

    /// <summary>The targets in the kernel's offender sets, read once per session. Throws <see cref="OperatorException"/> when nft cannot be read.</summary>
    private async Task<HashSet<IPNetwork>> KernelAsync(CancellationToken cancellationToken)
    {
        if (_kernel is not null)
        {
            return _kernel;
        }

        try
        {
            var elements = await _stack.Firewall.ReadOffendersAsync(cancellationToken);
            return _kernel = [.. (elements ?? []).Select(e => e.Target)];
        }
        catch (FirewallException ex)
        {
            throw new OperatorException(ex.Message, ex, ExitCodes.Failure);
        }
    }

    /// <summary>
    /// The bans for <c>list</c>: the store's (<paramref name="all"/>: with expired and lifted ones) joined with the
    /// kernel set. When nft cannot be asked, the store's view alone and a sentence saying why (else null).
    /// </summary>
    public async Task<(IReadOnlyList<ListedBan> Bans, string? StoreOnlyReason)> ListAsync(bool all, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The store and the kernel are read side by side: with 100,000 bans each takes a few hundred milliseconds.
        var stored = Task.Run(() => _stack.Store.List(all, now), cancellationToken);
        IReadOnlyList<FirewallElement>? kernel = null;
        string? storeOnly = null;
        if (!Availability.Available)
        {
            storeOnly = $"nft not consulted ({Availability.Reason}); showing the store's view.";
        }
        else
        {
            try
            {
                // Straight from the kernel (netlink): nft needs seconds to print 100,000 elements.
                kernel = NftSetReader.ReadOffenders(_stack.Config.Firewall.Table) ?? [];
            }
            catch (FirewallException ex)
            {
                storeOnly = $"nft unavailable ({ex.Message}); showing the store's view.";
            }
        }

        return (BanListing.Join(await stored, kernel, now), storeOnly);
    }

    /// <summary>
    /// Sends the queued changes to nft in one atomic batch led by the table definition (idempotent: the offenders
    /// already in it stay), so a verb costs one nft process; then cuts the new offenders' established flows. With the
    /// firewall off, logs what it would have done. Throws <see cref="FirewallException"/> when nft fails.
    /// </summary>
    public Task<int> FlushAsync(CancellationToken cancellationToken) => _stack.Batcher.FlushWithTableAsync(cancellationToken);

    /// <summary>One address's finished sessions for <c>show</c>: the latest <paramref name="limit"/> and the totals of all.</summary>
    public (IReadOnlyList<SessionRecord> Latest, int Count, TimeSpan Held, long Bytes) SessionsOf(IPAddress address, int limit) =>
        _stack.Store.SessionsOf(address, limit);

    /// <summary>One address's request captures for <c>show</c>: the latest <paramref name="limit"/> and how many are stored.</summary>
    public (IReadOnlyList<CaptureRecord> Latest, int Count) CapturesOf(IPAddress address, int limit) =>
        _stack.Store.CapturesOf(address, limit);

    /// <summary>Where the address comes from as the configured GeoIP databases say now; null when nothing is known.</summary>
    public Tarpit.Geo.GeoInfo? Locate(IPAddress address) => _stack.Geo.Lookup(address);

    /// <summary>Closes the store and releases the GeoIP databases.</summary>
    public void Dispose() => _stack.Dispose();
}
