using System.Net;
using Microsoft.Extensions.Time.Testing;
using Serilog;
using Tarpit.Bans;
using Tarpit.Config;
using Tarpit.Crowdsec;
using Tarpit.Firewall;
using Tarpit.Store;
using Tarpit.Tests.Firewall;
using Tarpit.Tests.Store;

namespace Tarpit.Tests.Crowdsec;

/// <summary>
/// Issue 17, resync: every <c>resync_interval</c> the bouncer pulls the whole decision set again. A decision the store
/// already holds in force from the fleet with the same end (<see cref="CrowdsecBouncer.ResyncTolerance"/>) is not
/// written again, to the store or to nft; only what the snapshot adds, extends or no longer holds is.
/// </summary>
public sealed class CrowdsecResyncTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    private readonly TempStateDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 6, 0, 0, TimeSpan.Zero));
    private readonly FakeFirewall _firewall = new();
    private readonly BanStore _store;
    private readonly FirewallBatcher _batcher;
    private readonly ScriptedLapi _lapi = new();
    private readonly CrowdsecBouncer _bouncer;

    public CrowdsecResyncTests()
    {
        var log = new LoggerConfiguration().CreateLogger();
        _store = BanStore.Open(_dir.Path);
        _batcher = new FirewallBatcher(_firewall);
        var service = new BanService(FirewallTestConfig.Firewall(), _store, _batcher, _time, log);
        var config = new CrowdsecConfig(new Uri("http://127.0.0.1:8080/"), new ConfigSecret("k", null), TimeSpan.FromSeconds(1), [], [], ["ban"], null, null, true)
        {
            ResyncInterval = Interval,
        };
        _bouncer = new CrowdsecBouncer(config, _lapi, service, _time, log);
    }

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    private static LapiDecision Decision(long id, string value, TimeSpan left) =>
        new() { Id = id, Value = value, Scope = "Ip", Type = "ban", Origin = "cscli", Scenario = "manual 'ban' from 'lapi'", Duration = $"{(long)left.TotalSeconds}s" };

    /// <summary>The startup snapshot (stored and in nft), then the clock at the resync; returns the bans in force then.</summary>
    private async Task<List<BanRecord>> StartAsync(IEnumerable<LapiDecision> snapshot)
    {
        _lapi.Answers.Enqueue(new LapiDecisionStream { New = [.. snapshot] });
        await _bouncer.PullOnceAsync(CancellationToken.None);
        await _batcher.FlushWithTableAsync(CancellationToken.None);
        _time.Advance(Interval);
        return [.. _store.Active(_time.GetUtcNow()).OrderBy(b => b.Id)];
    }

    [Fact]
    public async Task A_resync_of_an_unchanged_set_writes_nothing_to_the_store_or_nft()
    {
        const int Count = 50;
        var before = await StartAsync(Enumerable.Range(1, Count).Select(i => Decision(i, $"198.51.100.{i}", TimeSpan.FromHours(4))));
        var batches = _firewall.Batches.Count;

        // The same decisions ten minutes on, their ends three seconds later than read the first time: this LAPI
        // answered faster (the time left is counted when it answers, the end here from when the pull began).
        _lapi.Answers.Enqueue(new LapiDecisionStream
        {
            New = [.. Enumerable.Range(1, Count).Select(i => Decision(i, $"198.51.100.{i}", TimeSpan.FromHours(4) - Interval + TimeSpan.FromSeconds(3)))],
        });
        await _bouncer.PullOnceAsync(CancellationToken.None);

        Assert.True(_lapi.Startups[^1]);
        Assert.Empty(_batcher.Drain());
        Assert.Equal(before, _store.Active(_time.GetUtcNow()).OrderBy(b => b.Id));
        Assert.Equal(batches, _firewall.Batches.Count);
    }

    [Fact]
    public async Task A_resync_writes_only_what_it_adds_extends_or_no_longer_holds()
    {
        var kept = IPNetwork.Parse("198.51.100.1/32");
        var extended = IPNetwork.Parse("198.51.100.2/32");
        var dropped = IPNetwork.Parse("198.51.100.3/32");
        var added = IPNetwork.Parse("198.51.100.4/32");
        var before = await StartAsync([Decision(1, "198.51.100.1", TimeSpan.FromHours(4)), Decision(2, "198.51.100.2", TimeSpan.FromHours(4)), Decision(3, "198.51.100.3", TimeSpan.FromHours(4))]);
        var left = TimeSpan.FromHours(4) - Interval;

        // A second decision for .2 (cscli decisions add again: a new id, a longer end), .3 deleted, .4 new.
        _lapi.Answers.Enqueue(new LapiDecisionStream
        {
            New = [Decision(1, "198.51.100.1", left), Decision(2, "198.51.100.2", left), Decision(5, "198.51.100.2", TimeSpan.FromHours(8)), Decision(4, "198.51.100.4", TimeSpan.FromHours(1))],
        });
        await _bouncer.PullOnceAsync(CancellationToken.None);

        var now = _time.GetUtcNow();
        var changes = _batcher.Drain();
        Assert.Equal(
            [(extended, FirewallChangeKind.Add), (dropped, FirewallChangeKind.Remove), (added, FirewallChangeKind.Create)],
            changes.Select(c => (c.Target, c.Kind)).OrderBy(c => c.Target.ToString()).ToList());
        Assert.Equal(before.Single(b => b.Target == kept), _store.FindActive(kept, now));
        Assert.Equal(now + TimeSpan.FromHours(8), _store.FindActive(extended, now)!.ExpiresAt);
        Assert.Null(_store.FindActive(dropped, now));
        Assert.Equal(now + TimeSpan.FromHours(1), _store.FindActive(added, now)!.ExpiresAt);
    }
}
