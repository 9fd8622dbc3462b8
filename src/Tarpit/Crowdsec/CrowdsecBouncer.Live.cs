using System.Net;
using System.Runtime.InteropServices;
using Tarpit.Net;

namespace Tarpit.Crowdsec;

/// <summary>The accepted decisions in force, by target: a target is lifted when its last one is deleted.</summary>
internal sealed partial class CrowdsecBouncer
{
    /// <summary>
    /// Per target; a snapshot of 100,000 decisions is 100,000 of these, so the usual single decision is kept inline and
    /// the target as a <see cref="NetworkKey"/> (an <see cref="IPNetwork"/> key kept an address object alive per entry).
    /// </summary>
    private readonly Dictionary<NetworkKey, Live> _live = [];

    private void Remember(RemoteDecision remote, DateTimeOffset now)
    {
        var end = now + remote.Remaining;
        ref var live = ref CollectionsMarshal.GetValueRefOrAddDefault(_live, NetworkKey.Of(remote.Target), out var exists);
        if (!exists || (live.More is null && live.Id == remote.Id))
        {
            live = new Live(remote.Id, end.UtcDateTime, null);
            return;
        }

        live.More ??= new Dictionary<long, DateTimeOffset> { [live.Id] = new DateTimeOffset(live.End, TimeSpan.Zero) };
        live.More[remote.Id] = end;
    }

    /// <summary>Forgets a deleted decision; true when its target has no other decision in force (so it is lifted).</summary>
    private bool Forget(RemoteDecision deleted, DateTimeOffset now)
    {
        var key = NetworkKey.Of(deleted.Target);
        if (!_live.TryGetValue(key, out var live))
        {
            return false;
        }

        if (live.More is not { } ids)
        {
            return live.Id == deleted.Id && _live.Remove(key);
        }

        if (!ids.Remove(deleted.Id))
        {
            return false;
        }

        foreach (var ended in ids.Where(pair => pair.Value <= now).Select(pair => pair.Key).ToList())
        {
            ids.Remove(ended);
        }

        return ids.Count == 0 && _live.Remove(key);
    }

    /// <summary>
    /// One decision (<see cref="Id"/>, <see cref="End"/> in UTC), or, once a second one targets the same, all of them
    /// in <see cref="More"/>.
    /// </summary>
    private record struct Live(long Id, DateTime End, Dictionary<long, DateTimeOffset>? More);
}
