using System.Net;

namespace Tarpit.Firewall;

/// <summary>An element of an offender set as the kernel reports it.</summary>
/// <param name="Timeout">The element's timeout; null for a permanent element.</param>
/// <param name="Expires">Time left before the kernel drops it; null for a permanent element.</param>
internal sealed record FirewallElement(IPNetwork Target, TimeSpan? Timeout, TimeSpan? Expires);
