using System.Threading.Channels;
using Serilog;

namespace Tarpit.Firewall;

/// <summary>
/// Coalesces offender changes: a bounded channel that <see cref="FlushAsync"/> drains into one atomic nft batch, so a
/// burst of 10,000 bans costs one <c>nft</c> call rather than 10,000 (about 13 ms each).
/// </summary>
internal sealed class FirewallBatcher(IFirewall firewall, ILogger log) : IFirewallChangeSink
{
    /// <summary>Changes waiting for a flush; a producer waits when it is full.</summary>
    public const int Capacity = 100_000;

    /// <summary>
    /// Cutting costs one conntrack call per redirected port and ban (a few ms each): a burst larger than this keeps
    /// the established flows rather than stall the firewall loop for minutes.
    /// </summary>
    public const int MaxCutsPerBatch = 100;

    private readonly Channel<FirewallChange> _queue = Channel.CreateBounded<FirewallChange>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    public ChannelReader<FirewallChange> Reader => _queue.Reader;

    public ValueTask SubmitAsync(FirewallChange change, CancellationToken cancellationToken) =>
        _queue.Writer.WriteAsync(change, cancellationToken);

    /// <summary>Takes everything queued now (at most <see cref="Capacity"/>).</summary>
    public List<FirewallChange> Drain()
    {
        var changes = new List<FirewallChange>();
        while (changes.Count < Capacity && _queue.Reader.TryRead(out var change))
        {
            changes.Add(change);
        }

        return changes;
    }

    /// <summary>Applies everything queued in one batch, then cuts the new offenders' established flows.</summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        var changes = Drain();
        await ApplyAsync(changes, cancellationToken);
        return changes.Count;
    }

    /// <summary>
    /// <see cref="FlushAsync"/> with the table definition in the same batch (<see cref="IFirewall.EnsureTableAndApplyAsync"/>):
    /// what a short-lived verb does, one nft call. The table is ensured even when nothing is queued.
    /// </summary>
    public async Task<int> FlushWithTableAsync(CancellationToken cancellationToken)
    {
        var changes = Drain();
        await firewall.EnsureTableAndApplyAsync(changes, cancellationToken);
        await CutAsync(changes, cancellationToken);
        return changes.Count;
    }

    /// <summary>Applies the changes in one batch (throws <see cref="FirewallException"/>), then cuts established flows.</summary>
    public async Task ApplyAsync(IReadOnlyList<FirewallChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return;
        }

        await firewall.ApplyAsync(changes, cancellationToken);
        await CutAsync(changes, cancellationToken);
    }

    private async Task CutAsync(IReadOnlyList<FirewallChange> changes, CancellationToken cancellationToken)
    {
        var cuts = changes.Where(c => c.Kind == FirewallChangeKind.Add && c.CutEstablished).ToList();
        if (cuts.Count > MaxCutsPerBatch)
        {
            log.Warning("{Count} new bans in one batch: established flows are not cut for a burst this large (limit {Limit})", cuts.Count, MaxCutsPerBatch);
            return;
        }

        foreach (var change in cuts)
        {
            try
            {
                await firewall.CutEstablishedAsync(change.Target, cancellationToken);
            }
            catch (FirewallException ex)
            {
                // The redirect is in place; only flows that were already open keep going to the real service.
                log.Warning("Could not cut established flows of {RemoteIP}: {Error}", RulesetRenderer.Element(change.Target), ex.Message);
            }
        }
    }
}
