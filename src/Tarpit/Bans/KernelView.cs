using System.Net;
using Tarpit.Net;
using Tarpit.Store;

namespace Tarpit.Bans;

/// <summary>
/// Which stored bans in force are elements of the kernel's offender sets. Addresses live in hash sets and are all
/// there, inside a banned network or not. Networks live in interval sets, and nft refuses an interval that overlaps
/// another ("interval overlaps with an existing one", nft 1.0.6 and kernel 6.1 alike, measured): a network inside
/// another network in force is <em>shadowed</em>, kept in the store only, and written to the kernel when the wider
/// ban ends (<see cref="BanFollower"/> wakes for that; an unban puts it back in the same batch).
/// </summary>
internal static class KernelView
{
    /// <summary>True when <paramref name="target"/> is a network inside one of <paramref name="prefixes"/> (other than itself).</summary>
    public static bool IsShadowed(IPNetwork target, IReadOnlySet<IPNetwork> prefixes)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        if (Networks.IsHost(target))
        {
            return false;
        }

        for (var prefix = target.PrefixLength - 1; prefix >= 0; prefix--)
        {
            if (prefixes.Contains(Networks.Containing(target.BaseAddress, prefix)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="target"/> is a network and one of <paramref name="covering"/> (bans in force around it) is wider.</summary>
    public static bool IsShadowed(IPNetwork target, IEnumerable<BanRecord> covering)
    {
        ArgumentNullException.ThrowIfNull(covering);
        return !Networks.IsHost(target) && covering.Any(b => b.Target.PrefixLength < target.PrefixLength && Networks.Contains(b.Target, target));
    }

    /// <summary>The bans of <paramref name="active"/> that belong in the kernel: every address, and the outermost networks.</summary>
    public static IReadOnlyList<BanRecord> InKernel(IReadOnlyList<BanRecord> active)
    {
        ArgumentNullException.ThrowIfNull(active);
        var prefixes = Prefixes(active);
        return prefixes.Count == 0 ? active : [.. active.Where(b => !IsShadowed(b.Target, prefixes))];
    }

    /// <summary>The networks (not addresses) among <paramref name="bans"/>.</summary>
    public static HashSet<IPNetwork> Prefixes(IEnumerable<BanRecord> bans)
    {
        ArgumentNullException.ThrowIfNull(bans);
        return [.. bans.Where(b => !Networks.IsHost(b.Target)).Select(b => b.Target)];
    }
}
