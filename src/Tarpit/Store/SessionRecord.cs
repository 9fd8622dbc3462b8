using System.Net;

namespace Tarpit.Store;

/// <summary>One finished tarpit connection.</summary>
/// <param name="FirstBytes">What the client sent first, already escaped by the tarpit.</param>
internal sealed record SessionRecord(
    IPAddress Address,
    string Tarpit,
    string Mode,
    int? OriginalPort,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    long BytesSent,
    bool Verified,
    string? FirstBytes);
