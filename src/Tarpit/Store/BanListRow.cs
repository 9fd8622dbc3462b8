using System.Net;

namespace Tarpit.Store;

/// <summary>
/// A row of <c>tarpit-agent list</c>: a ban joined with the tarpit sessions of its addresses. Columns are named
/// properties so that more (country, ASN) can be added without touching the others.
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
    long BytesSent);
