using System.Text;
using Microsoft.Extensions.Time.Testing;
using Serilog;
using Tarpit.Bans;
using Tarpit.Config;
using Tarpit.Crowdsec;
using Tarpit.Firewall;
using Tarpit.Store;
using Tarpit.Tests.Firewall;
using Tarpit.Tests.Store;
using Xunit.Abstractions;

namespace Tarpit.Tests.Crowdsec;

/// <summary>
/// Issue 17, agent RSS growth ≤ 30 MB for a startup snapshot of 100,000 decisions: what each banned target costs the
/// daemon's managed heap once the snapshot is applied (kept), and what the snapshot path allocates per decision on
/// the way (the peak the GC commits, which RSS keeps after it), through the real reader, bouncer, ban service,
/// store with its target index, and batcher.
/// The heap is the process's: the class runs alone (<see cref="RunsAlone"/>), not beside other tests.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class SnapshotFootprintTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Enough decisions for the per-ban figures to stand above the noise of one test's heap.</summary>
    private const int Decisions = 20_000;

    /// <summary>
    /// 30 MB over 100,000 bans is ~300 bytes per ban for all of the agent: the managed state kept per ban (the bouncer's
    /// decisions in force, the store's target index) must leave room in that for SQLite's bounded page cache and the
    /// GC's slack. Measured 329 bytes with an <c>IPNetwork</c> key per decision, ~190 with <c>NetworkKey</c>.
    /// </summary>
    private const int MaxKeptBytesPerBan = 250;

    /// <summary>
    /// What the path allocates per decision (measured ~3.8 KB: the parsed strings, the request, the record, the store's
    /// bindings): the peak the GC commits grows with it between collections; a regression past this fails.
    /// </summary>
    private const int MaxAllocatedBytesPerDecision = 4_500;

    private readonly TempStateDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 6, 0, 0, TimeSpan.Zero));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_startup_snapshot_keeps_little_per_ban_and_allocates_little_per_decision()
    {
        var json = Snapshot(Decisions);
        using var store = BanStore.Open(_dir.Path);
        store.IndexTargets();
        var firewall = new CountingFirewall();
        var batcher = new FirewallBatcher(firewall);
        var service = new BanService(FirewallTestConfig.Firewall("203.0.113.0/24"), store, batcher, _time, new LoggerConfiguration().CreateLogger());
        var config = new CrowdsecConfig(new Uri("http://127.0.0.1:8080/"), new ConfigSecret("k", null), TimeSpan.FromSeconds(1), [], [], ["ban"], null, null, true);
        var bouncer = new CrowdsecBouncer(config, new StaticLapi(json, batcher), service, _time, new LoggerConfiguration().CreateLogger());
        // Warm: the statements prepared, the index built, the code jitted, with an empty snapshot first.
        await new CrowdsecBouncer(config, new StaticLapi(Snapshot(0), batcher), service, _time, new LoggerConfiguration().CreateLogger()).PullOnceAsync(CancellationToken.None);

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        await bouncer.PullOnceAsync(CancellationToken.None);
        await batcher.FlushWithTableAsync(CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        // The daemon's follower takes the ids of this process's inserts every second (BanFollower.Interval).
        service.TakeInserted(long.MaxValue);
        var after = GC.GetTotalMemory(forceFullCollection: true);

        Assert.Equal(Decisions, firewall.Applied);
        Assert.Equal(Decisions, store.Active(_time.GetUtcNow()).Count);
        var kept = (after - before) / Decisions;
        var perDecision = allocated / Decisions;
        output.WriteLine($"kept {kept} B per ban, allocated {perDecision} B per decision ({Decisions} decisions, {json.Length} bytes)");
        GC.KeepAlive(bouncer);
        GC.KeepAlive(service);
        Assert.InRange(kept, 0, MaxKeptBytesPerBan);
        Assert.InRange(perDecision, 0, MaxAllocatedBytesPerDecision);
    }

    /// <summary>The JSON CrowdSec 1.4.6 sends for a snapshot of <paramref name="count"/> Ip decisions (as bench/crowdsec/static_lapi.py).</summary>
    private static byte[] Snapshot(int count)
    {
        var text = new StringBuilder("{\"deleted\":null,\"new\":[");
        for (var i = 0; i < count; i++)
        {
            var address = 0xC6120001u + (uint)i;
            text.Append(i == 0 ? "" : ",")
                .Append("{\"duration\":\"3h59m58.123456789s\",\"id\":").Append(i + 1)
                .Append(",\"origin\":\"cscli\",\"scenario\":\"bench/snapshot\",\"scope\":\"Ip\",\"type\":\"ban\",\"uuid\":\"00000000-0000-4000-8000-")
                .Append(i.ToString("D12", System.Globalization.CultureInfo.InvariantCulture)).Append("\",\"value\":\"")
                .Append(address >> 24).Append('.').Append((address >> 16) & 255).Append('.').Append((address >> 8) & 255).Append('.').Append(address & 255)
                .Append("\"}");
        }

        return Encoding.UTF8.GetBytes(text.Append("]}").ToString());
    }

    /// <summary>The answer from memory; the daemon's firewall loop drains the batcher while a snapshot is applied, so this does too, after every batch.</summary>
    private sealed class StaticLapi(byte[] json, FirewallBatcher batcher) : ILapiDecisions
    {
        public async Task<bool> PullAsync(bool startup, IDecisionSink sink, CancellationToken cancellationToken)
        {
            using var body = new MemoryStream(json, writable: false);
            return await DecisionStreamReader.ReadAsync(body, new Draining(sink, batcher), DecisionStreamReader.MaxBodyBytes, cancellationToken);
        }
    }

    private sealed class Draining(IDecisionSink sink, FirewallBatcher batcher) : IDecisionSink
    {
        public bool Full => sink.Full;

        public void Add(LapiDecision decision, bool deleted) => sink.Add(decision, deleted);

        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            await sink.FlushAsync(cancellationToken);
            await batcher.ApplyAsync(batcher.Drain(), cancellationToken);
        }
    }

    /// <summary>Counts what reaches the kernel and keeps none of it (the kernel's memory is not the agent's).</summary>
    private sealed class CountingFirewall : IFirewall
    {
        public int Applied { get; private set; }

        public Task EnsureTableAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task EnsureTableAndApplyAsync(IReadOnlyList<FirewallChange> changes, CancellationToken cancellationToken) => ApplyAsync(changes, cancellationToken);

        public Task ApplyAsync(IReadOnlyList<FirewallChange> changes, CancellationToken cancellationToken)
        {
            Applied += changes.Count;
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<FirewallElement>?> ReadOffendersAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<FirewallElement>?>([]);

        public Task RemoveTableAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

