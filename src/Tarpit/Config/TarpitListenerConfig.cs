using System.Net;

namespace Tarpit.Config;

/// <summary>One <c>[[tarpit]]</c> table.</summary>
/// <param name="Mode">Protocol-specific mode name, validated against the protocol (e.g. ssh: endless-banner | kex-hold).</param>
/// <param name="Options">Per-mode parameters beyond the common keys (validated by the protocol's own options type).</param>
internal sealed record TarpitListenerConfig(
    string Name,
    TarpitProtocol Protocol,
    string Mode,
    IReadOnlyList<IPEndPoint> Listen,
    IReadOnlyList<int> RedirectPorts,
    bool Decoy,
    bool VerifyClient,
    TimeSpan ProbeDelay,
    string? Banner,
    TimeSpan Interval,
    int MaxClients,
    int MaxClientsPerIp,
    IReadOnlyDictionary<string, object> Options);
