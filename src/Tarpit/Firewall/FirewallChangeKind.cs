namespace Tarpit.Firewall;

/// <summary>What a <see cref="FirewallChange"/> does to an offender set.</summary>
internal enum FirewallChangeKind
{
    /// <summary>Redirect the target, replacing any timeout it had.</summary>
    Add,

    /// <summary>Stop redirecting the target (a missing element is not an error).</summary>
    Remove,
}
