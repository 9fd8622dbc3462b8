using System.Globalization;
using System.Net;
using System.Text;
using Tarpit.Net;

namespace Tarpit.Firewall;

/// <summary>
/// Renders offender changes as one atomic <c>nft -f</c> batch. Replacing a timeout is
/// <c>add element</c> (a no-op when present), <c>delete element</c>, <c>add element … timeout</c>: a
/// <c>delete</c> of a missing element would fail the batch, and element updates need kernels newer than Debian 12's
/// 6.1. Removals come first.
/// </summary>
internal static class NftBatch
{
    /// <summary>The kernel counts timeouts in milliseconds; we give whole seconds, at least one.</summary>
    public static readonly TimeSpan MinTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The batches to run, in order: one, or two when removals meet additions. nft 1.0.6 checks a new interval for
    /// overlaps against the elements before the batch, so a prefix replacing the addresses inside it is refused
    /// when the removals are in the same batch.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<FirewallChange>> Split(IReadOnlyList<FirewallChange> changes)
    {
        var last = Coalesce(changes).Values.ToList();
        var removes = last.Where(c => c.Kind == FirewallChangeKind.Remove).ToList();
        var adds = last.Where(c => c.Redirects).ToList();
        return removes.Count == 0 || adds.Count == 0
            ? last.Count == 0 ? [] : [last]
            : [removes, adds];
    }

    /// <summary>The batch that always applies: a <see cref="FirewallChangeKind.Create"/> replaces like an <see cref="FirewallChangeKind.Add"/>.</summary>
    public static string Render(string table, IReadOnlyList<FirewallChange> changes) => RenderAs(table, changes, create: false);

    /// <summary>
    /// The cheap form of a batch that holds new bans (<see cref="FirewallChangeKind.Create"/>): theirs is one
    /// <c>create element</c> per set, which nft refuses as a whole ("File exists", "No buffer space available" for
    /// thousands) when any of them is already there,
    /// so the caller then sends <see cref="Render"/>; the rest as there. Replacing an
    /// element (<c>delete</c> in the batch) makes the kernel wait for an RCU grace period: a verb's ban took 19 ms that
    /// way and 6.5 ms as a create, beside 6.4 ms for a bare <c>nft add element</c> (hyperfine, same run, load 1). Null
    /// when the batch holds no new ban.
    /// </summary>
    public static string? RenderCreate(string table, IReadOnlyList<FirewallChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return changes.Any(c => c.Kind == FirewallChangeKind.Create) ? RenderAs(table, changes, create: true) : null;
    }

    /// <summary>
    /// The batch's text, each element written straight into the one builder: a startup snapshot of 100,000 made two
    /// strings per element (its address and its timeout) and their concatenation before the join (issue 17).
    /// </summary>
    private static string RenderAs(string table, IReadOnlyList<FirewallChange> changes, bool create)
    {
        var last = Coalesce(changes);

        var b = new StringBuilder(last.Count * ElementChars);
        foreach (var name in NftNames.OffenderSets)
        {
            var set = $"{NftNames.Family} {table} {name}";
            var inSet = last.Values.Where(c => NftNames.OffenderSet(c.Target) == name).ToList();
            var removes = inSet.Where(c => c.Kind == FirewallChangeKind.Remove).ToList();
            var adds = inSet.Where(c => c.Kind is FirewallChangeKind.Add || (c.Kind == FirewallChangeKind.Create && !create)).ToList();
            if (removes.Count > 0)
            {
                AppendStatement(b, "add", set, removes, timeouts: false);
                AppendStatement(b, "delete", set, removes, timeouts: false);
            }

            if (adds.Count > 0)
            {
                AppendStatement(b, "add", set, adds, timeouts: false);
                AppendStatement(b, "delete", set, adds, timeouts: false);
                AppendStatement(b, "add", set, adds, timeouts: true);
            }

            // An ensure is a plain add: a no-op for an element already in the set, which keeps its timeout.
            var ensures = inSet.Where(c => c.Kind == FirewallChangeKind.Ensure).ToList();
            if (ensures.Count > 0)
            {
                AppendStatement(b, "add", set, ensures, timeouts: true);
            }

            var creates = create ? inSet.Where(c => c.Kind == FirewallChangeKind.Create).ToList() : [];
            if (creates.Count > 0)
            {
                AppendStatement(b, "create", set, creates, timeouts: true);
            }
        }

        return b.ToString();
    }

    /// <summary>About what one element takes in a batch (an IPv4 address, a timeout, a separator): the builder's first size.</summary>
    private const int ElementChars = 32;

    /// <summary>The last change of each target, in first-seen order of the targets.</summary>
    private static Dictionary<IPNetwork, FirewallChange> Coalesce(IReadOnlyList<FirewallChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var last = new Dictionary<IPNetwork, FirewallChange>();
        foreach (var change in changes)
        {
            last[change.Target] = change;
        }

        return last;
    }

    /// <summary>
    /// The largest number nft accepts in one part of a time: nft 1.0.6 (Debian 12) answers "value too large" to
    /// <c>timeout 100000000s</c> and to any 9-digit number, and takes <c>timeout 3650d</c> (measured).
    /// </summary>
    public const long MaxTimeNumber = 99_999_999;

    private const long SecondsPerDay = 86_400;

    /// <summary><c>timeout 3600s</c>, rounded up to whole seconds; beyond <see cref="MaxTimeNumber"/> seconds, <c>timeout 3650d0s</c>.</summary>
    public static string Timeout(TimeSpan timeout) => AppendTimeout(new StringBuilder(16), timeout).ToString();

    private static StringBuilder AppendTimeout(StringBuilder b, TimeSpan timeout)
    {
        var seconds = (long)Math.Ceiling(Math.Max(timeout.TotalSeconds, MinTimeout.TotalSeconds));
        return seconds <= MaxTimeNumber
            ? b.Append(CultureInfo.InvariantCulture, $"timeout {seconds}s")
            : b.Append(CultureInfo.InvariantCulture, $"timeout {seconds / SecondsPerDay}d{seconds % SecondsPerDay}s");
    }

    private static void AppendStatement(StringBuilder b, string verb, string set, List<FirewallChange> elements, bool timeouts)
    {
        b.Append(verb).Append(" element ").Append(set).Append(" { ");
        for (var i = 0; i < elements.Count; i++)
        {
            if (i > 0)
            {
                b.Append(", ");
            }

            var change = elements[i];
            NetworkText.AppendTo(b, change.Target);
            if (timeouts && change.Timeout is { } timeout)
            {
                b.Append(' ');
                AppendTimeout(b, timeout);
            }
        }

        b.Append(" }\n");
    }
}
