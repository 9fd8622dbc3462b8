using System.Collections.Concurrent;

namespace Tarpit.Metrics;

/// <summary>What the parts record, one method per fact, like the <c>*Log</c> classes: the parts never see a Prometheus type.</summary>
internal sealed partial class AgentMetrics
{
    private readonly ConcurrentDictionary<string, bool> _sources = new(StringComparer.Ordinal);

    /// <summary>A connection was accepted and is held (the engine's Opened event).</summary>
    public void ConnectionOpened(string tarpit, string protocol, string mode)
    {
        ConnectionsAccepted.WithLabels(tarpit, protocol, mode).Inc();
        ConnectionsHeld.WithLabels(tarpit, protocol, mode).Inc();
    }

    public void ConnectionVerified(string tarpit, string protocol, string mode) =>
        ConnectionsVerified.WithLabels(tarpit, protocol, mode).Inc();

    /// <summary>A held connection ended (the Closed event): it is no longer held, and what it cost the client is counted.</summary>
    public void ConnectionClosed(string tarpit, string protocol, string mode, long bytesSent, TimeSpan held)
    {
        ConnectionsHeld.WithLabels(tarpit, protocol, mode).Dec();
        BytesSent.WithLabels(tarpit, protocol, mode).Inc(Math.Max(0, bytesSent));
        HeldSeconds.WithLabels(tarpit, protocol, mode).Observe(Math.Max(0, held.TotalSeconds));
    }

    /// <summary>The scheduler refused a connection at a cap (<paramref name="reason"/>: the config key of the cap).</summary>
    public void ConnectionRefused(string tarpit, string protocol, string mode, string reason) =>
        ConnectionsRefused.WithLabels(tarpit, protocol, mode, reason).Inc();

    /// <summary>A bomb connection ended having sent <paramref name="compressedBytes"/> of its body, which inflate to <paramref name="inflatedBytes"/>.</summary>
    public void BombSent(string tarpit, long compressedBytes, long inflatedBytes)
    {
        BombBytesSent.WithLabels(tarpit).Inc(Math.Max(0, compressedBytes));
        BombInflatedBytes.WithLabels(tarpit).Inc(Math.Max(0, inflatedBytes));
    }

    /// <summary>A new ban (not a refresh) from <paramref name="source"/>; past <see cref="MaxSources"/> distinct sources, as <see cref="OtherSource"/>.</summary>
    public void BanCreated(string source) => Bans.WithLabels(SourceLabel(source)).Inc();

    /// <summary>A ban request an allowlist refused (<paramref name="reason"/>: <c>firewall_allow</c> or <c>geoip</c>).</summary>
    public void BanRefused(string reason) => BansRefused.WithLabels(reason).Inc();

    /// <summary>Bans in force now, by family (<c>ipv4</c>, <c>ipv6</c>) and kind (<c>address</c>, <c>network</c>): every pair is set, absent ones to 0.</summary>
    public void SetActiveBans(IReadOnlyDictionary<(string Family, string Kind), int> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        foreach (var family in (string[])["ipv4", "ipv6"])
        {
            foreach (var kind in (string[])["address", "network"])
            {
                BansActive.WithLabels(family, kind).Set(counts.GetValueOrDefault((family, kind)));
            }
        }
    }

    /// <summary>A reconcile completed: <paramref name="written"/> elements were missing or wrong in the kernel, <paramref name="adopted"/> were unknown to the store.</summary>
    public void Reconciled(int written, int adopted)
    {
        ReconcileRuns.Inc();
        ReconcileDrift.WithLabels("written").Inc(written);
        ReconcileDrift.WithLabels("adopted").Inc(adopted);
    }

    public void ReconcileFailed() => ReconcileFailures.Inc();

    /// <summary>One <c>nft -f -</c> batch ran for <paramref name="elapsed"/>; <paramref name="failed"/> when it exited non-zero or could not start.</summary>
    public void NftBatch(TimeSpan elapsed, bool failed)
    {
        NftBatchSeconds.Observe(elapsed.TotalSeconds);
        if (failed)
        {
            NftBatchFailures.Inc();
        }
    }

    /// <summary>One store write transaction took <paramref name="elapsed"/> (waiting for the lock included).</summary>
    public void StoreWrite(TimeSpan elapsed, bool failed)
    {
        StoreWriteSeconds.Observe(elapsed.TotalSeconds);
        if (failed)
        {
            StoreWriteErrors.Inc();
        }
    }

    /// <summary>A queue's drop count since start (<see cref="BeforeScrape"/>); the counter follows it and never goes down.</summary>
    public void QueueDropped(string queue, long total) => EventsDropped.WithLabels(queue).IncTo(total);

    /// <summary>The instruments of one watch, its labels bound once (a judge counts every line).</summary>
    public WatchMeters ForWatch(string watch) => new(
        WatchLinesRead.WithLabels(watch),
        WatchLinesMatched.WithLabels(watch),
        WatchLinesCut.WithLabels(watch),
        WatchErrors.WithLabels(watch));

    private string SourceLabel(string source)
    {
        if (_sources.ContainsKey(source))
        {
            return source;
        }

        if (_sources.Count >= MaxSources)
        {
            return OtherSource;
        }

        _sources.TryAdd(source, true);
        return source;
    }

    /// <summary>What became of one AbuseIPDB report (<paramref name="outcome"/>: a fixed word of the reporter's, never an address).</summary>
    public void Report(string outcome) => Reports.WithLabels(outcome).Inc();

    /// <summary>The outbox now: reports waiting, and whether the day's budget is spent.</summary>
    public void SetReportQueue(long queued, bool budgetSpent)
    {
        ReportsQueued.Set(queued);
        ReportBudgetSpent.Set(budgetSpent ? 1 : 0);
    }
}
