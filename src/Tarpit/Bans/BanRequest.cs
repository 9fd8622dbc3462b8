using System.Net;

namespace Tarpit.Bans;

/// <summary>
/// A wish to redirect an address (or prefix) into the tarpits, from any path: a log filter, a decoy hit, fail2ban,
/// or an admin. The ban service decides: allowlist first, then escalation, store and firewall.
/// </summary>
/// <param name="Source">Where it came from: a watch name (e.g. <c>sshd</c>), <c>decoy</c>, <c>fail2ban</c>, <c>manual</c>.</param>
/// <param name="Reason">Why, for people: filter and matched line (already escaped), count, jail name.</param>
/// <param name="Duration">An explicit length; null lets the service escalate from <c>ban_time</c> by the ban count.</param>
/// <param name="Permanent">Never expires (fail2ban's bantime -1, <c>--for permanent</c>).</param>
/// <param name="Restored">
/// A ban someone already decided and now reports again (fail2ban's restored tickets after its restart): a refresh of
/// the ban in force, or a ban of the same incident when the agent has none; never a new, escalated incident.
/// </param>
/// <param name="Remote">
/// A decision of the fleet (CrowdSec's LAPI; <see cref="Source"/> starts with <see cref="BanSource.RemotePrefix"/>):
/// stored with its remaining duration so the reconciler keeps it, but never counted as an incident of this host (no
/// escalation of later local bans), never shortening a local ban (the longer end wins), and lifted only by the fleet.
/// </param>
internal sealed record BanRequest(
    IPNetwork Target,
    string Source,
    string Reason,
    TimeSpan? Duration = null,
    bool Permanent = false,
    bool Restored = false,
    bool Remote = false);
