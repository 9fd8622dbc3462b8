using System.Net;

namespace Tarpit.Bans;

/// <summary>The one way into a ban, whoever asks: detection, decoys, the CLI, fail2ban.</summary>
internal interface IBanService
{
    /// <summary>True when the address must never be redirected (firewall.allow, and later GeoIP allowlists).</summary>
    bool IsAllowed(IPAddress address);

    /// <summary>Allowlist, escalation, store, firewall: in that order. Never throws for a firewall failure (the ban is kept and retried).</summary>
    Task<BanOutcome> BanAsync(BanRequest request, CancellationToken cancellationToken);

    /// <summary>Bans every request in order, as <see cref="BanAsync"/> one after the other; an implementation may store them together.</summary>
    async Task<IReadOnlyList<BanOutcome>> BanAllAsync(IReadOnlyList<BanRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var outcomes = new List<BanOutcome>(requests.Count);
        foreach (var request in requests)
        {
            outcomes.Add(await BanAsync(request, cancellationToken));
        }

        return outcomes;
    }

    /// <summary>
    /// Offences of <paramref name="address"/> at or before this time never count again: the start of its current or
    /// last ban, or the last unban by hand (which forgives). Null when it was never banned. The judge asks when a
    /// window is full, so a restart that reads back old lines never bans twice for one incident.
    /// </summary>
    DateTimeOffset? CountsAfter(IPAddress address) => null;

    /// <summary>An already-banned address came back through a redirect: extend its ban (sticky while it keeps coming back). False when it is not banned.</summary>
    Task<bool> RefreshAsync(IPAddress address, CancellationToken cancellationToken);
}
