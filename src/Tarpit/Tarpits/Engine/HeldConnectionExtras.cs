using System.Net;

namespace Tarpit.Tarpits.Engine;

/// <summary>
/// What only some held connections have, out of <see cref="HeldConnection"/> so that the others do not pay a field
/// for each: a scanner that never sends a byte, the common case, has none of it.
/// </summary>
internal sealed class HeldConnectionExtras
{
    /// <summary>The socket's peer when it is one of the tarpit's trusted proxies.</summary>
    public IPEndPoint? Proxy { get; init; }

    /// <summary>Escaped and truncated.</summary>
    public string? FirstBytes { get; set; }

    /// <summary>Created on the first Observe; bounded by <see cref="TarpitScheduler.MaxDetails"/>.</summary>
    public Dictionary<string, string>? Details { get; set; }
}
