using System.Net;
using Tarpit.Agent.Control;
using Tarpit.Store;

namespace Tarpit.Agent.Listing;

/// <summary>What <c>show ADDR</c> prints, as text or JSON (<see cref="ShowJson"/>).</summary>
internal sealed record ShowData(
    IPAddress Address,
    Tarpit.Geo.GeoInfo? Geo,
    IReadOnlyList<ListedBan> Bans,
    IReadOnlyList<SessionReport>? HeldNow,
    IReadOnlyList<SessionRecord> Sessions,
    int SessionCount,
    TimeSpan Held,
    long Bytes,
    IReadOnlyList<CaptureRecord> Captures,
    int CaptureCount);
