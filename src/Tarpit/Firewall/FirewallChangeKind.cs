namespace Tarpit.Firewall;

/// <summary>What a <see cref="FirewallChange"/> does to an offender set.</summary>
internal enum FirewallChangeKind
{
    /// <summary>Redirect the target, replacing any timeout it had.</summary>
    Add,

    /// <summary>
    /// Redirect a target the store held no ban in force for (a new ban): nft's <c>create element</c>, which needs none of
    /// the add/delete that replacing a timeout does (a 10,000-ban batch: 0.11 s instead of 0.5 s in nft, and a third of
    /// the kernel's notifications). nft refuses the whole batch ("File exists", or "No buffer space available" when
    /// thousands are) when the element is there after all (the element of a ban that just ended, not yet dropped by
    /// the kernel; one a reconcile or a restore wrote from the store before the batch came); the batch then goes again
    /// with this as <see cref="Add"/> (<see cref="NftBatch.Render"/>), so it never keeps a shorter timeout.
    /// </summary>
    Create,

    /// <summary>
    /// Redirect the target unless it already is: an element in the set keeps its timeout. What a ban decided while the
    /// store refuses writes sends at once (<c>Bans/PendingBans</c>): it can never shorten a longer stored ban in the
    /// kernel; the real <see cref="Add"/> follows once the ban is stored.
    /// </summary>
    Ensure,

    /// <summary>Stop redirecting the target (a missing element is not an error).</summary>
    Remove,
}
