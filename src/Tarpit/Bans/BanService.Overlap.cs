using System.Net;
using Tarpit.Config;
using Tarpit.Firewall;
using Tarpit.Net;
using Tarpit.Store;

namespace Tarpit.Bans;

/// <summary>
/// The lifecycle rules of <see cref="Decide"/>: a request for a target banned already refreshes that ban (the longer
/// end wins; never escalated, never shortened), and a ban says what became of every other ban it touched.
/// </summary>
internal sealed partial class BanService
{
    /// <summary>Beyond this many other bans touched, a ban's notes end with a count.</summary>
    public const int MaxNotes = 20;

    private readonly Lock _insertedGate = new();
    private readonly HashSet<long> _inserted = [];
    private volatile bool _prefixesChanged;

    /// <summary>
    /// Set when a ban of this service nested networks (one inside another, so one of them is out of the kernel until
    /// the other ends); the <see cref="BanFollower"/> takes it to know when to look again.
    /// </summary>
    public bool PrefixesChanged
    {
        get => _prefixesChanged;
        private set => _prefixesChanged = value;
    }

    /// <summary>Takes <see cref="PrefixesChanged"/>: true once after a change.</summary>
    public bool TakePrefixesChanged()
    {
        var changed = _prefixesChanged;
        _prefixesChanged = false;
        return changed;
    }

    /// <summary>
    /// The ids of the bans this service stored (this process) up to <paramref name="upToId"/>, taken: the follower
    /// logs the other processes' bans (the verbs, fail2ban) and skips these, which this service logged itself.
    /// </summary>
    public IReadOnlySet<long> TakeInserted(long upToId)
    {
        lock (_insertedGate)
        {
            var taken = _inserted.Where(id => id <= upToId).ToHashSet();
            _inserted.ExceptWith(taken);
            return taken;
        }
    }

    /// <summary>Offences of <paramref name="address"/> at or before this time no longer count (see <see cref="BanStore.CountsAfter"/>).</summary>
    public DateTimeOffset? CountsAfter(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return store.CountsAfter(Networks.Host(address));
    }

    private void NoteInserted(long id)
    {
        lock (_insertedGate)
        {
            _inserted.Add(id);
        }
    }

    /// <summary>A request for a target with a ban in force: the longer end wins, the count stays (one incident).</summary>
    private BanStep Refreshing(BanRecord active, BanRequest request, IReadOnlyList<BanRecord> wider, DateTimeOffset now, string shown)
    {
        // Without a length of its own, a request asks for what this incident earns (ban_time escalated by the bans
        // before it), as when the ban was made: the watch's 2 h stand even when fail2ban's 1 h came first.
        TimeSpan? length = request.Permanent ? null : request.Duration ?? Escalation.Duration(firewall, Math.Max(active.BanCount - 1, 0));
        DateTimeOffset? end = active.ExpiresAt is not { } current || length is not { } l
            ? null
            : (now + l > current ? now + l : current);
        var notes = Notes(active, wider, [], now);
        // A restored ban is one the agent still holds with its end: fail2ban's ticket ends then too (its <bantime>
        // counts from the ticket's time, not from its restart), so the ban is kept as it is.
        // A local ban of an address the fleet banned takes the ban over: the fleet's delete no longer lifts it.
        var claim = BanSource.IsRemote(active.Source) && !request.Remote && !request.Restored;
        if (!claim && (end == active.ExpiresAt || request.Restored))
        {
            var kept = active.ExpiresAt is null
                ? $"{shown} is already banned permanently (ban #{active.BanCount}); kept it"
                : $"{shown} is already banned for {Remaining(active, now)} more (ban #{active.BanCount}); kept it: a ban is never shortened";
            return new BanStep(new BanOutcome(true, kept, active.ExpiresAt, active.BanCount) { Refreshed = true, Notes = notes });
        }

        var duration = length is { } asked && active.Duration is { } had && had > asked ? had : length;
        var source = Text.AttackerText.Escape(request.Source, SourceMaxLength);
        var refreshed = Updated(claim
            ? active with { ExpiresAt = end, Duration = duration, Source = source, BanCount = Math.Max(active.BanCount, 1) }
            : active with { ExpiresAt = end, Duration = duration });
        var message = end is null
            ? $"{shown} was already banned (ban #{active.BanCount}); now banned permanently (not escalated)"
            : $"{shown} was already banned (ban #{active.BanCount}); refreshed to {Remaining(refreshed, now)} from now (not escalated)";
        var inKernel = !KernelView.IsShadowed(active.Target, wider);
        return new BanStep(
            new BanOutcome(true, message, end, active.BanCount) { Refreshed = true, Notes = notes },
            inKernel ? FirewallChange.Add(active.Target, end is { } e ? e - now : null) : null,
            null,
            request.Remote ? null : () => BansLog.BanRefreshed(log, shown, end is null ? "ever" : Remaining(refreshed, now), active.BanCount, source));
    }

    /// <summary>What became of the other bans a ban touched: the wider ones around it and the ones inside it.</summary>
    private static List<string> Notes(BanRecord ban, IReadOnlyList<BanRecord> wider, IReadOnlyList<BanRecord> inside, DateTimeOffset now)
    {
        var notes = new List<string>();
        var shown = NetworkText.Format(ban.Target);
        foreach (var around in wider)
        {
            var outlives = around.ExpiresAt is { } aroundEnd && (ban.ExpiresAt is null || ban.ExpiresAt > aroundEnd);
            notes.Add(outlives
                ? $"{shown} is inside the ban of {NetworkText.Format(around.Target)} ({Remaining(around, now)} left); its own ban goes on after that one ends"
                : $"{shown} is inside the ban of {NetworkText.Format(around.Target)} ({Remaining(around, now)} left), which lasts at least as long");
        }

        var prefixes = KernelView.Prefixes(inside);
        foreach (var within in inside.Take(MaxNotes))
        {
            var kept = $"{NetworkText.Format(within.Target)} keeps its own ban ({Remaining(within, now)} left, ban #{within.BanCount})";
            notes.Add(Networks.IsHost(within.Target) || KernelView.IsShadowed(within.Target, prefixes)
                ? kept
                : kept + $"; redirected as part of {shown} meanwhile, and on its own again when that ends");
        }

        if (inside.Count > MaxNotes)
        {
            notes.Add($"… and {inside.Count - MaxNotes} more bans inside {shown}, each kept with its own end");
        }

        return notes;
    }

    /// <summary>"permanent", or the time left in whole seconds ("1h59m58s").</summary>
    internal static string Remaining(BanRecord ban, DateTimeOffset now) =>
        ban.Remaining(now) is { } left ? DurationSyntax.Format(TimeSpan.FromSeconds(Math.Ceiling(Math.Max(left.TotalSeconds, 0)))) : "permanent";
}
