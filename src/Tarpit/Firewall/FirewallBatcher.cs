using System.Threading.Channels;

namespace Tarpit.Firewall;

/// <summary>
/// Coalesces offender changes: a bounded channel that the daemon's loop (<see cref="Drain"/>, then
/// <see cref="ApplyAsync"/>) or a verb (<see cref="FlushWithTableAsync"/>) drains into one atomic nft batch, so a burst
/// of 10,000 bans costs one <c>nft</c> call rather than 10,000 (about 13 ms each). Established flows of new offenders
/// need no call of their own: the table's <c>cut_established</c> chain resets them (<see cref="RulesetRenderer"/>).
/// </summary>
internal sealed class FirewallBatcher(IFirewall firewall) : IFirewallChangeSink
{
    /// <summary>Changes waiting for a flush; a producer waits when it is full.</summary>
    public const int Capacity = 100_000;

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

    /// <summary>
    /// Applies everything queued in one batch led by the table definition (<see cref="IFirewall.EnsureTableAndApplyAsync"/>):
    /// what a short-lived verb does, one nft call. The table is ensured even when nothing is queued.
    /// </summary>
    public async Task<int> FlushWithTableAsync(CancellationToken cancellationToken)
    {
        var changes = Drain();
        await firewall.EnsureTableAndApplyAsync(changes, cancellationToken);
        return changes.Count;
    }

    /// <summary>Applies the changes in one batch (throws <see cref="FirewallException"/>); nothing when there are none.</summary>
    public Task ApplyAsync(IReadOnlyList<FirewallChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return changes.Count == 0 ? Task.CompletedTask : firewall.ApplyAsync(changes, cancellationToken);
    }
}
