namespace Tarpit.Firewall;

/// <summary>What a <see cref="FirewallChange"/> does to an offender set.</summary>
internal enum FirewallChangeKind
{
    /// <summary>Redirect the target, replacing any timeout it had.</summary>
    Add,

    /// <summary>
    /// Redirect the target unless it already is: an element in the set keeps its timeout. What a ban decided while the
    /// store refuses writes sends at once (<c>Bans/PendingBans</c>): it can never shorten a longer stored ban in the
    /// kernel; the real <see cref="Add"/> follows once the ban is stored.
    /// </summary>
    Ensure,

    /// <summary>Stop redirecting the target (a missing element is not an error).</summary>
    Remove,
}
