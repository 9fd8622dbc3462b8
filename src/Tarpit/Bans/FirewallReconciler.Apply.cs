using Tarpit.Firewall;
using Tarpit.Net;
using Tarpit.Store;

namespace Tarpit.Bans;

internal sealed partial class FirewallReconciler
{
    /// <summary>What a reconcile did.</summary>
    internal sealed record ReconcileReport(int Applied, int Adopted, int Expired);

    /// <summary>
    /// Makes the kernel match the store: expired rows are marked (kept as history), every ban in force is written
    /// with its remaining time, and elements the store does not know are adopted (or dropped when they overlap a
    /// stored ban, since nft refuses overlapping intervals). One batch.
    /// </summary>
    public async Task<ReconcileReport> ReconcileAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expired = store.MarkExpired(now);
        var active = store.Active(now);
        var known = active.Select(b => b.Target).ToHashSet();
        var kernel = await firewall.ReadOffendersAsync(cancellationToken) ?? [];
        var changes = new List<FirewallChange>();
        var adopted = 0;
        foreach (var element in kernel.Where(e => !known.Contains(e.Target)))
        {
            if (active.Any(b => Networks.Overlap(b.Target, element.Target)))
            {
                changes.Add(FirewallChange.Remove(element.Target));
                continue;
            }

            var (previous, firstSeen) = store.History(element.Target);
            var expires = element.Expires is { } left ? now + left : (DateTimeOffset?)null;
            store.Insert(new BanRecord(0, element.Target, "adopted", "found in the nft table, unknown to the store", firstSeen ?? now, now, expires, element.Timeout, previous + 1, null));
            adopted++;
        }

        // Networks inside another network in force stay out of the kernel until it ends (nft refuses nested intervals).
        changes.AddRange(KernelView.InKernel(active).Select(b => FirewallChange.Add(b.Target, b.Remaining(now))));
        await firewall.ApplyAsync(changes, cancellationToken);
        return new ReconcileReport(active.Count, adopted, expired);
    }

    /// <summary>Applies what is pending: all in one batch; after a failure, one by one, so one bad change cannot block the rest.</summary>
    private async Task<bool> FlushPendingAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return true;
        }

        var changes = _pending.Select(p => p.Change).ToList();
        try
        {
            await batcher.ApplyQueueingCutsAsync(changes, cancellationToken);
            BansLog.BatchApplied(log, changes.Count);
            _pending.Clear();
            return true;
        }
        catch (FirewallException ex)
        {
            BansLog.BatchFailed(log, changes.Count, ex.Message);
        }

        if (_pending.Count == 1 || _pending.All(p => p.Failures == 0))
        {
            for (var i = 0; i < _pending.Count; i++)
            {
                _pending[i] = (_pending[i].Change, _pending[i].Failures + 1);
            }

            DropExhausted();
            return false;
        }

        var failed = new List<(FirewallChange, int)>();
        foreach (var (change, failures) in _pending)
        {
            try
            {
                await batcher.ApplyQueueingCutsAsync([change], cancellationToken);
            }
            catch (FirewallException)
            {
                failed.Add((change, failures + 1));
            }
        }

        _pending.Clear();
        _pending.AddRange(failed);
        DropExhausted();
        return _pending.Count == 0;
    }

    private void DropExhausted()
    {
        foreach (var (change, _) in _pending.Where(p => p.Failures >= MaxAttempts))
        {
            BansLog.GaveUpOnChange(log, change.Kind, NetworkText.Format(change.Target), MaxAttempts);
        }

        _pending.RemoveAll(p => p.Failures >= MaxAttempts);
    }
}
