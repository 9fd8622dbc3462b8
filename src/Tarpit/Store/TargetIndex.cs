using System.Net;
using Tarpit.Net;

namespace Tarpit.Store;

/// <summary>
/// Every target the bans table holds (in force or history), in memory, so the daemon answers "was this address, or a
/// network around it, ever banned?" without SQL: in a burst nearly every offender is new, and its three lookups
/// (the judge's <see cref="BanStore.CountsAfter"/>, the ban's <see cref="BanStore.Covering"/> and
/// <see cref="BanStore.History"/>) were 67 index searches of the target index per ban. A "no" is exact, a "maybe"
/// asks SQLite as before: the index may hold more than the table (a rolled-back insert, a pruned row), never less.
/// It stays exact because the table only grows by inserts with rising ids (other processes' inserts are read by id
/// when SQLite's <c>data_version</c> says another connection wrote) and only the daemon itself deletes rows
/// (retention), after which the index is built again. Built only where it pays (the daemon): a verb's one ban reads
/// less than the index would.
/// </summary>
internal sealed class TargetIndex
{
    private readonly HashSet<NetworkKey> _targets = [];

    /// <summary>The prefix lengths of the stored networks (not hosts), per family: a host's networks are looked up at these only.</summary>
    private readonly SortedSet<int> _v4Prefixes = [];

    private readonly SortedSet<int> _v6Prefixes = [];

    /// <summary>
    /// The highest row id read from the table. The daemon's own inserts are added without moving it: another
    /// process may have committed a lower id in between, which the next read by id must still find.
    /// </summary>
    public long LastId { get; set; }

    /// <summary>SQLite's <c>PRAGMA data_version</c> when the index was last brought up to date.</summary>
    public long DataVersion { get; set; }

    /// <summary>Set when rows may have left the table: the next use builds the index again.</summary>
    public bool Stale { get; set; } = true;

    public int Count => _targets.Count;

    public void Clear()
    {
        _targets.Clear();
        _v4Prefixes.Clear();
        _v6Prefixes.Clear();
        LastId = 0;
    }

    /// <summary>Records a stored row's target.</summary>
    public void Add(IPNetwork target)
    {
        var key = NetworkKey.Of(target);
        _targets.Add(key);
        if (key.Prefix != key.Width)
        {
            (key.Width == 32 ? _v4Prefixes : _v6Prefixes).Add(key.Prefix);
        }
    }

    /// <summary>False when no row has exactly this target.</summary>
    public bool MayHold(IPNetwork target) => _targets.Contains(NetworkKey.Of(target));

    /// <summary>False when no row has this target or a network around it (the keys of the covering lookup).</summary>
    public bool MayCover(IPNetwork target)
    {
        var key = NetworkKey.Of(target);
        if (_targets.Contains(key))
        {
            return true;
        }

        foreach (var prefix in key.Width == 32 ? _v4Prefixes : _v6Prefixes)
        {
            if (prefix >= key.Prefix)
            {
                break;
            }

            if (_targets.Contains(key.Widened(prefix)))
            {
                return true;
            }
        }

        return false;
    }
}
