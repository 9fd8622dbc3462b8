using System.Net;

namespace Tarpit.Firewall;

/// <summary>One change to the offender sets: add (with a timeout, or permanent when null) or remove a target.</summary>
internal sealed record FirewallChange(FirewallChangeKind Kind, IPNetwork Target, TimeSpan? Timeout)
{
    public static FirewallChange Add(IPNetwork target, TimeSpan? timeout) => new(FirewallChangeKind.Add, target, timeout);

    public static FirewallChange Remove(IPNetwork target) => new(FirewallChangeKind.Remove, target, null);
}
