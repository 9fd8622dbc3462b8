namespace Tarpit.Agent.Control;

/// <summary>The firewall part of <c>status</c>.</summary>
/// <param name="Mode"><c>live</c> (nft driven) or <c>observe-only</c>.</param>
/// <param name="Reason">Why observe-only (run --observe, firewall.enabled = false, not root, nft missing); null when live.</param>
/// <param name="TablePresent">Whether nft lists the table now; null when observe-only.</param>
/// <param name="KernelElements">Offender elements nft holds now; null when observe-only or the table is missing.</param>
/// <param name="StoredInForce">Bans in force in the store.</param>
/// <param name="ExpectedElements">Of those, the ones that should be kernel elements (networks inside a banned network are not).</param>
/// <param name="PendingBans">Bans held in memory while the store refuses writes.</param>
internal sealed record FirewallReport(
    string Mode,
    string? Reason,
    string Table,
    bool KeepOnExit,
    string Redirects,
    bool? TablePresent,
    int? KernelElements,
    int StoredInForce,
    int ExpectedElements,
    int PendingBans,
    DateTimeOffset? LastReconcileAt,
    string? LastReconcileError);
