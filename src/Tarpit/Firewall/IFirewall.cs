namespace Tarpit.Firewall;

/// <summary>
/// Our port to the packet filter: the table the agent owns and the offender sets in it. <see cref="NftFirewall"/>
/// drives nft; tests of the ban service use a fake. Every method throws <see cref="FirewallException"/> on failure.
/// </summary>
internal interface IFirewall
{
    /// <summary>Creates the table, sets and chain, idempotently, keeping the offenders already in it.</summary>
    Task EnsureTableAsync(CancellationToken cancellationToken);

    /// <summary>Applies the changes in one atomic batch.</summary>
    Task ApplyAsync(IReadOnlyList<FirewallChange> changes, CancellationToken cancellationToken);

    /// <summary>
    /// What a short-lived verb does, in one nft call where it can: <see cref="ApplyAsync"/> when the table is there (its
    /// definition, allowlist included, is the daemon's to keep current: at start, on reload and on every reconcile), else
    /// <see cref="EnsureTableAsync"/> and <see cref="ApplyAsync"/> in one atomic batch, the table definition first, so
    /// either both happen or neither does. With no changes, only the table.
    /// </summary>
    Task EnsureTableAndApplyAsync(IReadOnlyList<FirewallChange> changes, CancellationToken cancellationToken);

    /// <summary>The offender elements in the kernel, or null when the table does not exist.</summary>
    Task<IReadOnlyList<FirewallElement>?> ReadOffendersAsync(CancellationToken cancellationToken);

    /// <summary>Removes the whole table (a missing table is not an error).</summary>
    Task RemoveTableAsync(CancellationToken cancellationToken);
}
