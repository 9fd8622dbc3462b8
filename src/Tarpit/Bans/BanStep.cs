using Tarpit.Firewall;

namespace Tarpit.Bans;

/// <summary>
/// A ban decided and stored, not yet sent: the outcome, the firewall changes to submit once the store has committed
/// (narrower bans it replaces first, then its own redirect), and the event to log then.
/// </summary>
internal sealed record BanStep(BanOutcome Outcome, FirewallChange? Add = null, IReadOnlyList<FirewallChange>? Removals = null, Action? Announce = null)
{
    public IReadOnlyList<FirewallChange> Removals { get; } = Removals ?? [];
}
