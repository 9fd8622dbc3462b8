namespace Tarpit.Agent.Control;

/// <summary>One held connection as <c>sessions</c> shows it; <see cref="FirstBytes"/> is escaped by the engine, every other string is ours.</summary>
/// <param name="Address">The client's address as text (<c>192.0.2.7</c>).</param>
/// <param name="Redirected">True when it came through an nft redirect, false when it connected to the tarpit's port directly.</param>
/// <param name="OriginalPort">The port it meant to reach (the tarpit's own port when direct).</param>
internal sealed record SessionReport(
    long ConnectionId,
    string Address,
    int Port,
    string Tarpit,
    string Protocol,
    string Mode,
    DateTimeOffset Since,
    double HeldSeconds,
    long BytesSent,
    bool Verified,
    string? FirstBytes,
    bool Redirected,
    int OriginalPort,
    string? CountryCode,
    long? Asn,
    string? AsOrganization);
