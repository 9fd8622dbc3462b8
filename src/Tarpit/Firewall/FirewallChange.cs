using System.Net;

namespace Tarpit.Firewall;

/// <summary>One change to the offender sets: add (with a timeout, or permanent when null) or remove a target.</summary>
internal sealed record FirewallChange(FirewallChangeKind Kind, IPNetwork Target, TimeSpan? Timeout)
{
    /// <summary>
    /// An add of a target the caller just read as absent from the kernel (the reconciler): one <c>add element</c>,
    /// without the add/delete that replacing an element's timeout needs, so restoring 100,000 bans into an empty table
    /// is one statement, not three.
    /// </summary>
    public bool KnownAbsent { get; init; }

    public static FirewallChange Add(IPNetwork target, TimeSpan? timeout) => new(FirewallChangeKind.Add, target, timeout);

    public static FirewallChange AddAbsent(IPNetwork target, TimeSpan? timeout) =>
        new(FirewallChangeKind.Add, target, timeout) { KnownAbsent = true };

    /// <summary>Redirect the target unless it already is (<see cref="FirewallChangeKind.Ensure"/>).</summary>
    public static FirewallChange Ensure(IPNetwork target, TimeSpan? timeout) => new(FirewallChangeKind.Ensure, target, timeout);

    /// <summary>True for <see cref="FirewallChangeKind.Add"/> and <see cref="FirewallChangeKind.Ensure"/>: the target ends up redirected.</summary>
    public bool Redirects => Kind is FirewallChangeKind.Add or FirewallChangeKind.Ensure;

    public static FirewallChange Remove(IPNetwork target) => new(FirewallChangeKind.Remove, target, null);
}
