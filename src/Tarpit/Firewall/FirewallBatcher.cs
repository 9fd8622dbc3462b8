using System.Net;
using System.Threading.Channels;
using Serilog;
using Tarpit.Net;

namespace Tarpit.Firewall;

/// <summary>
/// Coalesces offender changes: a bounded channel that the daemon's loop (<see cref="Drain"/>) or a verb
/// (<see cref="FlushWithTableAsync"/>) drains into one atomic nft batch, so a burst of 10,000 bans costs one
/// <c>nft</c> call rather than 10,000 (about 13 ms each). The daemon's loop applies
/// with <see cref="ApplyQueueingCutsAsync"/> and cuts established flows in <see cref="RunCutsAsync"/>, beside it: a
/// cut is one <c>conntrack</c> call per port (10–20 ms), and waiting for them held the next batch's redirects back.
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

    /// <summary>
    /// Cuts waiting for <see cref="RunCutsAsync"/>; when full, new ones are skipped (the redirect is in place). One
    /// batch's worth: in a burst of small batches a longer queue kept a thousand conntrack processes competing with the
    /// bans themselves (a quarter of the CPU of a 10,000-offender burst).
    /// </summary>
    public const int CutQueueCapacity = MaxCutsPerBatch;

    private readonly Channel<FirewallChange> _queue = Channel.CreateBounded<FirewallChange>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    private readonly Channel<IPNetwork> _cuts = Channel.CreateBounded<IPNetwork>(
        new BoundedChannelOptions(CutQueueCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

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
    /// Applies everything queued in one batch led by the table definition (<see cref="IFirewall.EnsureTableAndApplyAsync"/>),
    /// then cuts the new offenders' established flows inline: what a short-lived verb does, one nft call. The table is
    /// ensured even when nothing is queued.
    /// </summary>
    public async Task<int> FlushWithTableAsync(CancellationToken cancellationToken)
    {
        var changes = Drain();
        await firewall.EnsureTableAndApplyAsync(changes, cancellationToken);
        await CutAllAsync(changes, cancellationToken);
        return changes.Count;
    }

    /// <summary>
    /// Applies the changes in one batch (throws <see cref="FirewallException"/>) and queues their cuts for
    /// <see cref="RunCutsAsync"/>, so the caller can apply the next batch at once.
    /// </summary>
    public async Task ApplyQueueingCutsAsync(IReadOnlyList<FirewallChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return;
        }

        await firewall.ApplyAsync(changes, cancellationToken);
        var skipped = CutsOf(changes).Count(target => !_cuts.Writer.TryWrite(target));
        if (skipped > 0)
        {
            FirewallLog.CutsBehind(log, skipped, CutQueueCapacity);
        }
    }

    /// <summary>Cuts the queued targets' established flows, one at a time, until cancelled.</summary>
    public async Task RunCutsAsync(CancellationToken cancellationToken)
    {
        await foreach (var target in _cuts.Reader.ReadAllAsync(cancellationToken))
        {
            await CutAsync(target, cancellationToken);
        }
    }

    /// <summary>The new offenders whose flows to cut; none for a burst beyond <see cref="MaxCutsPerBatch"/>.</summary>
    private List<IPNetwork> CutsOf(IReadOnlyList<FirewallChange> changes)
    {
        var cuts = changes.Where(c => c.Redirects && c.CutEstablished).Select(c => c.Target).ToList();
        if (cuts.Count <= MaxCutsPerBatch)
        {
            return cuts;
        }

        FirewallLog.BurstNotCut(log, cuts.Count, MaxCutsPerBatch);
        return [];
    }

    /// <summary>Cuts the established flows of the changes' new offenders, one at a time, inline.</summary>
    private async Task CutAllAsync(IReadOnlyList<FirewallChange> changes, CancellationToken cancellationToken)
    {
        foreach (var target in CutsOf(changes))
        {
            await CutAsync(target, cancellationToken);
        }
    }

    private async Task CutAsync(IPNetwork target, CancellationToken cancellationToken)
    {
        try
        {
            await firewall.CutEstablishedAsync(target, cancellationToken);
        }
        catch (FirewallException ex)
        {
            // The redirect is in place; only flows that were already open keep going to the real service.
            FirewallLog.CutFailed(log, NetworkText.Format(target), ex.Message);
        }
    }
}
