using System.Net;

namespace Tarpit.Firewall;

/// <summary>One change to the offender sets: add (with a timeout, or permanent when null) or remove a target.</summary>
/// <param name="CutEstablished">After the add is applied, drop the target's established flows (a new ban, not a refresh).</param>
internal sealed record FirewallChange(FirewallChangeKind Kind, IPNetwork Target, TimeSpan? Timeout, bool CutEstablished = false)
{
    public static FirewallChange Add(IPNetwork target, TimeSpan? timeout, bool cutEstablished = false) =>
        new(FirewallChangeKind.Add, target, timeout, cutEstablished);

    public static FirewallChange Remove(IPNetwork target) => new(FirewallChangeKind.Remove, target, null);
}
