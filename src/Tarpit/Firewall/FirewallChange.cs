using System.Net;

namespace Tarpit.Firewall;

/// <summary>One change to the offender sets: add (with a timeout, or permanent when null) or remove a target.</summary>
internal sealed record FirewallChange(FirewallChangeKind Kind, IPNetwork Target, TimeSpan? Timeout)
{
    public static FirewallChange Add(IPNetwork target, TimeSpan? timeout) => new(FirewallChangeKind.Add, target, timeout);

    /// <summary>Redirect a target with no ban in force (<see cref="FirewallChangeKind.Create"/>).</summary>
    public static FirewallChange Create(IPNetwork target, TimeSpan? timeout) => new(FirewallChangeKind.Create, target, timeout);

    /// <summary>Redirect the target unless it already is (<see cref="FirewallChangeKind.Ensure"/>).</summary>
    public static FirewallChange Ensure(IPNetwork target, TimeSpan? timeout) => new(FirewallChangeKind.Ensure, target, timeout);

    /// <summary>True for every kind but <see cref="FirewallChangeKind.Remove"/>: the target ends up redirected.</summary>
    public bool Redirects => Kind is FirewallChangeKind.Add or FirewallChangeKind.Create or FirewallChangeKind.Ensure;

    public static FirewallChange Remove(IPNetwork target) => new(FirewallChangeKind.Remove, target, null);
}
