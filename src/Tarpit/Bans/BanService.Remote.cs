using System.Net;
using Tarpit.Store;

namespace Tarpit.Bans;

/// <summary>The fleet's side of the ban service: the decisions a LAPI client stored, and lifting them when the fleet deletes them.</summary>
internal sealed partial class BanService
{
    /// <summary>Told of each new ban decided here (not the fleet's, not restored ones); the daemon's root sets it with <c>[crowdsec]</c> push.</summary>
    public IBanObserver? Observer { get; set; }

    /// <summary>The bans in force that the fleet decided (<see cref="BanSource.IsRemote"/>): after a startup snapshot, those it no longer holds are lifted.</summary>
    public IReadOnlyList<BanRecord> RemoteInForce() =>
        [.. store.Active(time.GetUtcNow()).Where(b => BanSource.IsRemote(b.Source))];

    /// <summary>
    /// Lifts the ban of exactly <paramref name="target"/> when the fleet decided it; a local ban of the same target
    /// (made here, or a fleet ban taken over by a local one) stays: the fleet never lifts what this host decided.
    /// </summary>
    public async Task<bool> LiftRemoteAsync(IPNetwork target, CancellationToken cancellationToken)
    {
        var active = store.FindActive(target, time.GetUtcNow());
        if (active is null || !BanSource.IsRemote(active.Source))
        {
            return false;
        }

        return (await UnbanAsync(target, cancellationToken)).Result == UnbanResult.Unbanned;
    }
}
