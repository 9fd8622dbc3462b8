using System.Net;
using Tarpit.Geo;

namespace Tarpit.Store;

/// <summary>
/// A row of <c>tarpit-agent list</c>: a ban joined with the tarpit sessions of its addresses. Columns are named
/// properties so that more can be added without touching the others. <c>Geo</c> is the country and AS stored at
/// ban time; null when nothing was known.
/// </summary>
internal sealed record BanListRow(
    IPNetwork Target,
    string Source,
    string Reason,
    DateTimeOffset BannedAt,
    DateTimeOffset? ExpiresAt,
    int BanCount,
    bool Active,
    DateTimeOffset? EndedAt,
    int Sessions,
    TimeSpan TimeTrapped,
    long BytesSent,
    GeoInfo? Geo = null);
