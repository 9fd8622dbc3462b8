using System.Net;
using Tarpit.Bans;
using Tarpit.Config;
using Tarpit.Net;
using Tarpit.Store;

namespace Tarpit.Crowdsec;

/// <summary>
/// Applying one answer of the stream as it is read: each decision checked and filtered at once, the kept ones applied
/// every <see cref="ApplyBatch"/> (one store transaction, one nft batch), deletions of a batch before its new
/// decisions (a delete and a new decision of one target in one answer ends redirected).
/// </summary>
internal sealed partial class CrowdsecBouncer
{
    /// <summary>
    /// Decisions applied together: a startup snapshot of 100,000 is 25 store transactions and about as many nft
    /// batches, each holding a few thousand strings, instead of one holding all of them.
    /// </summary>
    public const int ApplyBatch = 4_000;

    /// <summary>
    /// A pull of at least this many decisions (a startup snapshot) is followed by one aggressive, compacting
    /// collection: the snapshot path's garbage (the parsed strings, the batches, the store's parameters; ~3.9 KB per
    /// decision, SnapshotFootprintTests) grows the heap to a peak that the GC otherwise keeps committed, and that was
    /// most of the agent's RSS growth after 100,000 decisions (106 MiB in bench/crowdsec/alone, with ~33 MB of it
    /// live). One full collection of a heap of a few tens of MB, once per such pull, returns the rest to the system.
    /// </summary>
    public const int CompactAfter = ApplyBatch;

    /// <summary>
    /// A snapshot's decision (startup or resync) whose target the store already bans from the fleet until at least this
    /// close to the decision's end is not written again: a resync every <c>resync_interval</c> of 100,000 decisions in
    /// force was 100,000 ban-service lookups and, wherever the end read a moment later, a store update and an nft
    /// replacement. The stored end is the pull's start plus the time left the LAPI gave, so the same decision reads a
    /// few seconds apart from one snapshot to the next (CrowdSec's LAPI takes seconds to answer 100,000); a minute is
    /// <see cref="BanService.RefreshGranularity"/>, below which the ban service does not write a refresh either.
    /// </summary>
    public static readonly TimeSpan ResyncTolerance = BanService.RefreshGranularity;

    /// <summary>Debug lines per pull at most: a snapshot of 100,000 decisions is one summary, not 100,000 lines.</summary>
    private const int MaxDecisionLines = 100;

    /// <summary>
    /// One pull. With a startup snapshot the targets the store holds from the fleet are noted first, with their ends:
    /// a decision already in force until then is only remembered (<see cref="ResyncTolerance"/>), and those the snapshot
    /// no longer holds are lifted once all of it was read (<see cref="FinishAsync"/>), never after a cut read.
    /// </summary>
    private async Task<bool> PullAndApplyAsync(CrowdsecLog.PullKind kind, CancellationToken cancellationToken)
    {
        var startup = kind != CrowdsecLog.PullKind.Changes;
        Dictionary<IPNetwork, DateTimeOffset?>? before = null;
        if (startup)
        {
            _live.Clear();
            before = InForce(bans.RemoteInForce());
        }

        var pull = new Pull(this, kind, time.GetUtcNow(), before);
        bool truncated;
        try
        {
            truncated = await lapi.PullAsync(startup, pull, cancellationToken);
        }
        catch (LapiException) when (pull.Received > 0)
        {
            // An answer cut in the middle: what it brought was applied and stays; the next pull is a snapshot, as
            // the LAPI may count the changes it began to send as sent.
            _startup = true;
            throw;
        }

        await pull.FlushAsync(cancellationToken);
        await FinishAsync(pull, before, cancellationToken);
        if (pull.Received >= CompactAfter)
        {
            // Blocking and compacting, as GCCollectionMode.Aggressive requires.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }

        return truncated;
    }

    /// <summary>The fleet's bans in force by target, each with its end (null: permanent); the later one when a target has two.</summary>
    private static Dictionary<IPNetwork, DateTimeOffset?> InForce(IReadOnlyList<BanRecord> remote)
    {
        var ends = new Dictionary<IPNetwork, DateTimeOffset?>(remote.Count);
        foreach (var ban in remote)
        {
            ends[ban.Target] = ends.TryGetValue(ban.Target, out var other) && (other is null || other > ban.ExpiresAt) ? other : ban.ExpiresAt;
        }

        return ends;
    }

    private async Task FinishAsync(Pull pull, Dictionary<IPNetwork, DateTimeOffset?>? before, CancellationToken cancellationToken)
    {
        // The snapshot is the whole truth: what the fleet no longer holds is lifted (a delete while this agent was
        // down or between two of its runs).
        foreach (var target in before?.Keys ?? Enumerable.Empty<IPNetwork>())
        {
            if (!_live.ContainsKey(NetworkKey.Of(target)) && await bans.LiftRemoteAsync(target, cancellationToken))
            {
                pull.Lifted++;
            }
        }

        var tally = pull.Tally;
        if (pull.Startup || tally.Accepted > 0 || pull.Lifted > 0 || tally.Invalid > 0)
        {
            CrowdsecLog.Pulled(log, pull.Kind, tally.Accepted - pull.Allowlisted, pull.Unchanged, pull.Lifted, pull.Allowlisted, tally.Filtered + tally.Ended, tally.OtherScope, tally.Invalid);
        }
    }

    /// <summary>
    /// The sink of one pull: what the reader hands over, checked at once, applied a batch at a time; in a snapshot, a
    /// decision the store holds in force already (<paramref name="inForce"/>, by target, with its end) is only remembered.
    /// </summary>
    private sealed class Pull(CrowdsecBouncer bouncer, CrowdsecLog.PullKind kind, DateTimeOffset now, Dictionary<IPNetwork, DateTimeOffset?>? inForce) : IDecisionSink
    {
        private readonly bool _startup = kind != CrowdsecLog.PullKind.Changes;
        private readonly List<RemoteDecision> _accepted = [];
        private readonly List<RemoteDecision> _deleted = [];
        public bool Startup => _startup;

        public CrowdsecLog.PullKind Kind => kind;

        public DecisionReader.Tally Tally { get; } = new();

        public int Lifted { get; set; }

        public int Allowlisted { get; private set; }

        public bool Full => _accepted.Count + _deleted.Count >= ApplyBatch;

        /// <summary>How many decisions the reader handed over (kept or not).</summary>
        public int Received { get; private set; }

        public void Add(LapiDecision decision, bool deleted)
        {
            Received++;
            if (!deleted)
            {
                if (bouncer._reader.Accept(decision, Tally) is not { } remote)
                {
                    return;
                }

                if (InForce(remote))
                {
                    // Nothing to write: the store (and so the kernel, through the reconciler) has it until then.
                    bouncer.Remember(remote, now);
                    Unchanged++;
                }
                else
                {
                    _accepted.Add(remote);
                }
            }
            else if (!_startup && DecisionReader.Read(decision, new DecisionReader.Tally()) is { } gone)
            {
                // A snapshot's own deleted list is not needed: what it does not hold is lifted at its end.
                _deleted.Add(gone);
            }
        }

        /// <summary>Decisions of a snapshot that were in force already with their end (<see cref="ResyncTolerance"/>): not written.</summary>
        public int Unchanged { get; private set; }

        private bool InForce(RemoteDecision remote) =>
            inForce is not null && inForce.TryGetValue(remote.Target, out var end)
            && (end is null || end >= now + Rounded(remote.Remaining) - ResyncTolerance);

        public Task FlushAsync(CancellationToken cancellationToken) => bouncer.ApplyAsync(this, now, cancellationToken);

        public List<RemoteDecision> Accepted => _accepted;

        public List<RemoteDecision> Deleted => _deleted;

        public int Lines { get; set; }

        public void CountAllowlisted(int count) => Allowlisted += count;
    }

    /// <summary>One batch of a pull: its deletions, then its new decisions in one <see cref="BanService.BanAllAsync"/>.</summary>
    private async Task ApplyAsync(Pull pull, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var deleted in pull.Deleted)
        {
            if (Forget(deleted, now) && await bans.LiftRemoteAsync(deleted.Target, cancellationToken))
            {
                pull.Lifted++;
            }
        }

        pull.Deleted.Clear();
        if (pull.Accepted.Count == 0)
        {
            return;
        }

        var requests = new List<BanRequest>(pull.Accepted.Count);
        foreach (var remote in pull.Accepted)
        {
            Remember(remote, now);
            requests.Add(Request(remote));
        }

        var outcomes = await bans.BanAllAsync(requests, cancellationToken);
        // Refused (firewall.allow, GeoIP allowlists), as opposed to stored with a firewall error to retry.
        pull.CountAllowlisted(outcomes.Count(o => !o.Applied && o.FirewallError is null));
        foreach (var remote in pull.Accepted.Take(MaxDecisionLines - pull.Lines))
        {
            CrowdsecLog.Decision(log, NetworkText.Format(remote.Target), Text.AttackerText.Escape(remote.Origin, DecisionReader.MaxOriginLength), Text.AttackerText.Escape(remote.Scenario, DecisionReader.MaxScenarioLength), DurationSyntax.Format(Rounded(remote.Remaining)));
            pull.Lines++;
        }

        pull.Accepted.Clear();
    }

    /// <summary>The source of the last request made and its origin: a snapshot's decisions share a handful of origins, not one string each.</summary>
    private (string Origin, string Source) _lastSource = ("", BanSource.RemotePrefix);

    private BanRequest Request(RemoteDecision remote) =>
        new(
            remote.Target,
            SourceOf(remote.Origin),
            remote.Scenario.Length > 0 ? remote.Scenario : "crowdsec decision",
            Rounded(remote.Remaining),
            Remote: true);

    private string SourceOf(string origin)
    {
        if (!string.Equals(_lastSource.Origin, origin, StringComparison.Ordinal))
        {
            _lastSource = (origin, BanSource.RemotePrefix + origin);
        }

        return _lastSource.Source;
    }

    /// <summary>The kernel timeout: the time left in whole seconds, rounded up, at least <see cref="MinRemaining"/>.</summary>
    private static TimeSpan Rounded(TimeSpan remaining)
    {
        var seconds = TimeSpan.FromSeconds(Math.Ceiling(remaining.TotalSeconds));
        return seconds < MinRemaining ? MinRemaining : seconds;
    }
}
