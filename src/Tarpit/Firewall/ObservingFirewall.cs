using Serilog;
using Tarpit.Net;

namespace Tarpit.Firewall;

/// <summary>
/// The firewall when it is off (<c>firewall.enabled = false</c>, not root, nft missing): changes nothing and logs
/// what it would have done.
/// </summary>
internal sealed class ObservingFirewall(ILogger log) : IFirewall
{
    public Task EnsureTableAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ApplyAsync(IReadOnlyList<FirewallChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var change in changes)
        {
            if (change.Redirects)
            {
                FirewallLog.WouldBan(log, NetworkText.Format(change.Target), change.Timeout is { } timeout ? Config.DurationSyntax.Format(timeout) : "ever");
            }
            else
            {
                FirewallLog.WouldUnban(log, NetworkText.Format(change.Target));
            }
        }

        return Task.CompletedTask;
    }

    public Task EnsureTableAndApplyAsync(IReadOnlyList<FirewallChange> changes, CancellationToken cancellationToken) =>
        ApplyAsync(changes, cancellationToken);

    public Task<IReadOnlyList<FirewallElement>?> ReadOffendersAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FirewallElement>?>(null);

    public Task RemoveTableAsync(CancellationToken cancellationToken) => Task.CompletedTask;

}
