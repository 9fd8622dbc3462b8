using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tarpit.Firewall;

/// <summary>
/// Renders offender changes as one atomic <c>nft -f</c> batch. Replacing a timeout is
/// <c>add element</c> (a no-op when present), <c>delete element</c>, <c>add element … timeout</c>: a
/// <c>delete</c> of a missing element would fail the batch, and element updates need kernels newer than Debian 12's
/// 6.1. Removals come first, so a prefix can replace the addresses it covers in the same batch.
/// </summary>
internal static class NftBatch
{
    /// <summary>The kernel counts timeouts in milliseconds; we give whole seconds, at least one.</summary>
    public static readonly TimeSpan MinTimeout = TimeSpan.FromSeconds(1);

    public static string Render(string table, IReadOnlyList<FirewallChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var last = new Dictionary<IPNetwork, FirewallChange>();
        foreach (var change in changes)
        {
            last.Remove(change.Target);
            last[change.Target] = change;
        }

        var b = new StringBuilder();
        foreach (var family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
        {
            var set = $"{NftNames.Family} {table} {NftNames.OffenderSet(family)}";
            var inFamily = last.Values.Where(c => c.Target.BaseAddress.AddressFamily == family).ToList();
            var removes = inFamily.Where(c => c.Kind == FirewallChangeKind.Remove).Select(c => RulesetRenderer.Element(c.Target)).ToList();
            var adds = inFamily.Where(c => c.Kind == FirewallChangeKind.Add).ToList();
            if (removes.Count > 0)
            {
                AppendStatement(b, "add", set, removes);
                AppendStatement(b, "delete", set, removes);
            }

            if (adds.Count > 0)
            {
                var plain = adds.Select(c => RulesetRenderer.Element(c.Target)).ToList();
                AppendStatement(b, "add", set, plain);
                AppendStatement(b, "delete", set, plain);
                AppendStatement(b, "add", set, adds.Select(WithTimeout));
            }
        }

        return b.ToString();
    }

    /// <summary><c>timeout 3600s</c>, rounded up to whole seconds.</summary>
    public static string Timeout(TimeSpan timeout)
    {
        var seconds = (long)Math.Ceiling(Math.Max(timeout.TotalSeconds, MinTimeout.TotalSeconds));
        return "timeout " + seconds.ToString(CultureInfo.InvariantCulture) + "s";
    }

    private static string WithTimeout(FirewallChange change) =>
        change.Timeout is { } timeout
            ? RulesetRenderer.Element(change.Target) + " " + Timeout(timeout)
            : RulesetRenderer.Element(change.Target);

    private static void AppendStatement(StringBuilder b, string verb, string set, IEnumerable<string> elements) =>
        b.Append(verb).Append(" element ").Append(set).Append(" { ").AppendJoin(", ", elements).Append(" }\n");
}
