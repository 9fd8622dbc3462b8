using System.Net;

namespace Tarpit.Store;

/// <summary>One finished tarpit connection.</summary>
/// <param name="FirstBytes">What the client sent first, already escaped by the tarpit.</param>
/// <param name="CountryCode">ISO 3166-1 alpha-2 code of the address, when the GeoIP database knows it.</param>
/// <param name="Asn">The autonomous system of the address, when the GeoIP database knows it.</param>
internal sealed record SessionRecord(
    IPAddress Address,
    string Tarpit,
    string Mode,
    int? OriginalPort,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    long BytesSent,
    bool Verified,
    string? FirstBytes,
    string? CountryCode = null,
    long? Asn = null);
