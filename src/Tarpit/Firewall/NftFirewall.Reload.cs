using Tarpit.Config;

namespace Tarpit.Firewall;

/// <summary>Reload: the allowlist and the redirect ports the table is rendered from.</summary>
internal sealed partial class NftFirewall
{
    /// <summary>
    /// Renders the table from <paramref name="newFirewall"/> and <paramref name="newTarpits"/> from now on; the next
    /// <see cref="EnsureTableAsync"/> rebuilds the allow sets and the chain in one batch and keeps the offender sets'
    /// elements. The table name and the nft binary must stay those of the running table (the caller keeps them).
    /// </summary>
    public void Reconfigure(FirewallConfig newFirewall, IReadOnlyList<TarpitConfig> newTarpits)
    {
        ArgumentNullException.ThrowIfNull(newFirewall);
        ArgumentNullException.ThrowIfNull(newTarpits);
        if (newFirewall.Table != firewall.Table || newFirewall.Nft != firewall.Nft)
        {
            throw new ArgumentException("A reload keeps the running table and nft; the caller must not change them.", nameof(newFirewall));
        }

        firewall = newFirewall;
        tarpits = newTarpits;
    }
}
