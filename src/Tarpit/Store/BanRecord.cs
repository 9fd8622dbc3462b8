using System.Net;
using Tarpit.Geo;

namespace Tarpit.Store;

/// <summary>One ban of one target, from the moment it was banned until it expired or was lifted (kept as history).</summary>
/// <param name="Id">The row id; 0 before it is stored.</param>
/// <param name="Reason">Why, for people; attacker text in it is already escaped.</param>
/// <param name="FirstSeen">When this target was first banned (carried over from earlier bans).</param>
/// <param name="ExpiresAt">When the kernel drops the element; null when permanent.</param>
/// <param name="Duration">The length the ban was given (refreshes extend by it again); null when permanent.</param>
/// <param name="BanCount">1 for the first ban of this target, 2 for the next, … (escalation).</param>
/// <param name="LastHit">The last time the target came back through the redirect.</param>
/// <param name="Geo">Country and AS of the target (its base address) at ban time; null when nothing is known.</param>
internal sealed record BanRecord(
    long Id,
    IPNetwork Target,
    string Source,
    string Reason,
    DateTimeOffset FirstSeen,
    DateTimeOffset BannedAt,
    DateTimeOffset? ExpiresAt,
    TimeSpan? Duration,
    int BanCount,
    DateTimeOffset? LastHit,
    DateTimeOffset? UnbannedAt = null,
    DateTimeOffset? ExpiredAt = null,
    GeoInfo? Geo = null)
{
    public bool IsPermanent => ExpiresAt is null;

    public bool IsActive(DateTimeOffset now) =>
        UnbannedAt is null && ExpiredAt is null && (ExpiresAt is null || ExpiresAt > now);

    /// <summary>Time left for the kernel element; null when permanent.</summary>
    public TimeSpan? Remaining(DateTimeOffset now) => ExpiresAt is { } expires ? expires - now : null;
}
