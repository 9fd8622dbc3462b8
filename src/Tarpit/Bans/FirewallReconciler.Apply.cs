using System.Net;
using Tarpit.Firewall;
using Tarpit.Net;
using Tarpit.Store;

namespace Tarpit.Bans;

internal sealed partial class FirewallReconciler
{
    /// <summary>
    /// How far the kernel's expiry of an element may be from the store's before a reconcile rewrites it: nft counts
    /// timeouts in whole seconds (<see cref="NftBatch.Timeout"/> rounds up), and a batch of 100,000 takes about a
    /// second to apply, so an element just written can read up to two seconds off.
    /// </summary>
    public static readonly TimeSpan ExpiryTolerance = TimeSpan.FromSeconds(2);

    /// <summary>
    /// What a reconcile found and did: the bans in force (stored and held), how many of them it wrote to nft (missing
    /// or drifted), elements adopted from nft, rows marked expired.
    /// </summary>
    internal sealed record ReconcileReport(int Applied, int Written, int Adopted, int Expired);

    /// <summary>One reconcile's outcome for <c>status</c>: its report, or the error that stopped it.</summary>
    internal sealed record ReconcileOutcome(DateTimeOffset At, ReconcileReport? Report, string? Error);

    /// <summary>
    /// Makes the kernel match the store: expired rows are marked (kept as history), every ban in force is written
    /// with its remaining time, and elements the store does not know are adopted (or dropped when they overlap a
    /// stored ban, since nft refuses overlapping intervals). The bans <see cref="PendingBans"/> holds for a store that
    /// refuses writes are written too, and never adopted. With such a store nothing is marked or adopted, but every
    /// ban is still applied. A ban missing from the kernel is added, one whose expiry there differs from the store's is
    /// rewritten, one that agrees is left alone. One batch, none when all agree.
    /// </summary>
    public async Task<ReconcileReport> ReconcileAsync(CancellationToken cancellationToken)
    {
        // What is queued now was submitted after its ban was stored, so before the read below: taken first (see
        // DropWritten), a new ban's create does not meet the element this reconcile writes for it.
        Take();
        var now = time.GetUtcNow();
        var writable = true;
        var expired = 0;
        try
        {
            expired = store.MarkExpired(now);
        }
        catch (StoreFaultException ex)
        {
            writable = false;
            BansLog.ReconcileStoreFault(log, ex.FaultName);
        }

        var active = store.Active(now);
        DropWritten(active);
        var held = pending?.Redirects(now) ?? [];
        var known = active.Select(b => b.Target).Concat(held.Select(c => c.Target)).ToHashSet();
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

            if (writable && TryAdopt(element, now))
            {
                adopted++;
            }
            else
            {
                writable = false;
            }
        }

        // Held first: a stored ban of the same target (its real length) wins in the batch.
        changes.AddRange(held);
        var inKernel = kernel.ToDictionary(e => e.Target);
        // Networks inside another network in force stay out of the kernel until it ends (nft refuses nested intervals).
        foreach (var ban in KernelView.InKernel(active))
        {
            var remaining = ban.Remaining(now);
            if (!inKernel.TryGetValue(ban.Target, out var element))
            {
                // Read as absent: a plain add (an ensure), without the add/delete that replacing a timeout needs, so 100,000
                // bans restored into an empty table are one statement, not three.
                changes.Add(FirewallChange.Ensure(ban.Target, remaining));
            }
            else if (!Agrees(element, remaining))
            {
                changes.Add(FirewallChange.Add(ban.Target, remaining));
            }
        }

        if (changes.Count > 0)
        {
            await firewall.ApplyAsync(changes, cancellationToken);
        }

        return new ReconcileReport(active.Count + held.Count, changes.Count, adopted, expired);
    }

    /// <summary>
    /// Drops the pending changes of each target whose last pending change is a <see cref="FirewallChangeKind.Create"/>
    /// and whose ban the store holds in force: this reconcile writes it from the store (or finds the kernel agreeing),
    /// so the create would only meet that element and be refused (issue 17: the start's reconcile raced a startup
    /// snapshot of 100,000, all of them written twice, the second time as a refused create and its replacing batch).
    /// </summary>
    private void DropWritten(IReadOnlyList<BanRecord> active)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var last = new Dictionary<IPNetwork, FirewallChangeKind>();
        foreach (var (change, _) in _pending)
        {
            last[change.Target] = change.Kind;
        }

        var inForce = active.Select(b => b.Target).Where(t => last.GetValueOrDefault(t) == FirewallChangeKind.Create).ToHashSet();
        _pending.RemoveAll(p => inForce.Contains(p.Change.Target));
    }

    /// <summary>
    /// True when the kernel's element already ends when the store says (both permanent, or within
    /// <see cref="ExpiryTolerance"/>): a periodic reconcile of 100,000 bans then rewrites only the few that drifted.
    /// </summary>
    internal static bool Agrees(FirewallElement element, TimeSpan? remaining) => (element.Expires, remaining) switch
    {
        (null, null) => true,
        ({ } kernel, { } store) => (kernel - store).Duration() <= ExpiryTolerance,
        _ => false,
    };

    /// <summary>Stores an element found in the kernel that the store does not know; false when the store refused.</summary>
    private bool TryAdopt(FirewallElement element, DateTimeOffset now)
    {
        try
        {
            var (previous, firstSeen) = store.History(element.Target);
            var expires = element.Expires is { } left ? now + left : (DateTimeOffset?)null;
            store.Insert(new BanRecord(0, element.Target, "adopted", "found in the nft table, unknown to the store", firstSeen ?? now, now, expires, element.Timeout, previous + 1, null));
            return true;
        }
        catch (StoreFaultException ex)
        {
            BansLog.ReconcileStoreFault(log, ex.FaultName);
            return false;
        }
    }

    /// <summary>
    /// A batch that failed twice is tried in halves, each half that fails in halves again (<see cref="SplitAsync"/>),
    /// with at most this many nft runs per flush; what is left untried waits for the next flush, uncounted. One bad
    /// change among 100,000 costs about 34 runs (two per halving) instead of 100,000, one per change (issue 17: a
    /// startup snapshot stalled at ~4,000 of 100,000 that way, ~20 ms per run); 256 small runs are a few seconds.
    /// </summary>
    public const int MaxSplitRuns = 256;

    /// <summary>
    /// Applies what is pending: all in one batch; after a failure, the table is ensured again (a missing table is
    /// restored with every ban first) and the batch retried, then in halves, so one bad change cannot block the rest.
    /// A failure is counted against a change only when it failed alone with the table in place.
    /// </summary>
    private async Task<bool> FlushPendingAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return true;
        }

        var changes = _pending.Select(p => p.Change).ToList();
        try
        {
            await batcher.ApplyAsync(changes, cancellationToken);
            BansLog.BatchApplied(log, changes.Count);
            _pending.Clear();
            return true;
        }
        catch (FirewallException ex)
        {
            BansLog.BatchFailed(log, changes.Count, ex.Message);
            if (ex.TableMissing)
            {
                // The backstop of the monitor: restore now; the changes wait and go in after it.
                TableRemoved("a batch found it missing");
                return false;
            }
        }

        try
        {
            await firewall.EnsureTableAsync(cancellationToken);
        }
        catch (FirewallException ex)
        {
            // nft cannot be run or the table not made: nothing is counted, everything waits.
            BansLog.FirewallNotReady(log, ex.Message);
            return false;
        }

        try
        {
            await batcher.ApplyAsync(changes, cancellationToken);
            BansLog.BatchApplied(log, changes.Count);
            _pending.Clear();
            return true;
        }
        catch (FirewallException ex) when (_pending.Count > 1)
        {
            BansLog.BatchFailed(log, changes.Count, ex.Message);
        }
        catch (FirewallException ex)
        {
            _pending[0] = (_pending[0].Change, ex.TableMissing ? _pending[0].Failures : _pending[0].Failures + 1);
            DropExhausted();
            return false;
        }

        var left = await SplitAsync([.. _pending], cancellationToken);
        _pending.Clear();
        _pending.AddRange(left);
        DropExhausted();
        return _pending.Count == 0;
    }

    /// <summary>
    /// Applies a batch that failed as a whole in halves, in order (a later change of a target still comes after an
    /// earlier one), each failing half in halves again down to single changes, at most <see cref="MaxSplitRuns"/>
    /// nft runs. Returns what is left, in order: the changes that failed alone (counted, unless the table was found
    /// missing) and those not tried (uncounted); a missing table stops it and starts the restore.
    /// </summary>
    private async Task<List<(FirewallChange Change, int Failures)>> SplitAsync(List<(FirewallChange Change, int Failures)> failed, CancellationToken cancellationToken)
    {
        var left = new List<(FirewallChange, int)>();
        var parts = new Stack<ArraySegment<(FirewallChange Change, int Failures)>>();
        var all = new ArraySegment<(FirewallChange Change, int Failures)>([.. failed]);
        parts.Push(all[(all.Count / 2)..]);
        parts.Push(all[..(all.Count / 2)]);
        var runs = 0;
        while (parts.TryPop(out var part))
        {
            if (runs >= MaxSplitRuns)
            {
                left.AddRange(part);
                continue;
            }

            runs++;
            try
            {
                await batcher.ApplyAsync([.. part.Select(p => p.Change)], cancellationToken);
            }
            catch (FirewallException ex) when (ex.TableMissing)
            {
                TableRemoved("a batch found it missing");
                left.AddRange(part);
                runs = MaxSplitRuns;
            }
            catch (FirewallException) when (part.Count > 1)
            {
                parts.Push(part[(part.Count / 2)..]);
                parts.Push(part[..(part.Count / 2)]);
            }
            catch (FirewallException)
            {
                left.Add((part[0].Change, part[0].Failures + 1));
            }
        }

        return left;
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
