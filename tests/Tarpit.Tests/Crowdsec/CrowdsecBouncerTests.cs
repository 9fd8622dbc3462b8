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
/// Issue 17, bouncer: the stream's decisions through the real ban service, store and batcher (the LAPI is the seam):
/// stored as <c>crowdsec:ORIGIN</c> with their time left, lifted by a delete, allowlists first, never escalating or
/// shortening a local ban, a LAPI outage keeps everything and the startup snapshot lifts what the fleet dropped.
/// </summary>
public sealed class CrowdsecBouncerTests : IDisposable
{
    private static readonly IPNetwork Attacker = IPNetwork.Parse("192.0.2.7/32");

    private readonly TempStateDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 6, 0, 0, TimeSpan.Zero));
    private readonly FakeFirewall _firewall = new();
    private readonly ILogger _log = new LoggerConfiguration().CreateLogger();
    private readonly BanStore _store;
    private readonly FirewallBatcher _batcher;
    private readonly BanService _service;
    private readonly ScriptedLapi _lapi = new();
    private readonly CrowdsecBouncer _bouncer;

    public CrowdsecBouncerTests()
    {
        _store = BanStore.Open(_dir.Path);
        _batcher = new FirewallBatcher(_firewall);
        _service = new BanService(FirewallTestConfig.Firewall("203.0.113.0/24"), _store, _batcher, _time, _log);
        var config = new CrowdsecConfig(new Uri("http://127.0.0.1:8080/"), new ConfigSecret("k", null), TimeSpan.FromSeconds(1), [], [], ["ban"], null, null, true);
        _bouncer = new CrowdsecBouncer(config, _lapi, _service, _time, _log);
    }

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    private static LapiDecision Decision(long id, string value, string duration = "4h", string origin = "cscli", string scope = "Ip") =>
        new() { Id = id, Value = value, Scope = scope, Type = "ban", Origin = origin, Scenario = "manual 'ban' from 'lapi'", Duration = duration };

    private async Task<TimeSpan> PullAsync()
    {
        var wait = await _bouncer.PullOnceAsync(CancellationToken.None);
        await _batcher.FlushWithTableAsync(CancellationToken.None);
        return wait;
    }

    [Fact]
    public async Task A_startup_decision_is_stored_as_crowdsec_origin_with_its_time_left_as_the_kernel_timeout()
    {
        _lapi.Answers.Enqueue(new LapiDecisionStream { New = [Decision(1, "192.0.2.7", "3h59m58.2s"), Decision(2, "198.51.100.0/24", "1h", "crowdsec", "Range")] });

        var wait = await PullAsync();

        Assert.Equal([true], _lapi.Startups);
        Assert.Equal(TimeSpan.FromSeconds(1), wait);
        var ban = _store.FindActive(Attacker, _time.GetUtcNow())!;
        Assert.Equal("crowdsec:cscli", ban.Source);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.Parse("03:59:59", null), ban.ExpiresAt);
        Assert.Equal(TimeSpan.Parse("03:59:59", null), _firewall.Elements[Attacker]);
        Assert.Equal(TimeSpan.FromHours(1), _firewall.Elements[IPNetwork.Parse("198.51.100.0/24")]);
        Assert.Equal("crowdsec:crowdsec", _store.FindActive(IPNetwork.Parse("198.51.100.0/24"), _time.GetUtcNow())!.Source);
    }

    [Fact]
    public async Task A_delete_in_the_stream_lifts_it_and_the_next_pulls_are_deltas()
    {
        _lapi.Answers.Enqueue(new LapiDecisionStream { New = [Decision(1, "192.0.2.7")] });
        _lapi.Answers.Enqueue(new LapiDecisionStream { Deleted = [Decision(1, "192.0.2.7", "-1s")] });
        await PullAsync();

        await PullAsync();

        Assert.Equal([true, false], _lapi.Startups);
        Assert.Null(_store.FindActive(Attacker, _time.GetUtcNow()));
        Assert.False(_firewall.Elements.ContainsKey(Attacker));
    }

    [Fact]
    public async Task A_delete_of_one_of_two_decisions_of_an_address_keeps_it_redirected()
    {
        _lapi.Answers.Enqueue(new LapiDecisionStream { New = [Decision(1, "192.0.2.7", "1h"), Decision(2, "192.0.2.7", "4h", "crowdsec")] });
        _lapi.Answers.Enqueue(new LapiDecisionStream { Deleted = [Decision(1, "192.0.2.7")] });
        await PullAsync();

        await PullAsync();

        Assert.NotNull(_store.FindActive(Attacker, _time.GetUtcNow()));
        Assert.True(_firewall.Elements.ContainsKey(Attacker));
    }

    [Fact]
    public async Task An_allowlisted_address_is_never_redirected()
    {
        _lapi.Answers.Enqueue(new LapiDecisionStream { New = [Decision(1, "203.0.113.9"), Decision(2, "203.0.0.0/16", scope: "Range")] });

        await PullAsync();

        Assert.Empty(_firewall.Elements);
        Assert.Empty(_store.Active(_time.GetUtcNow()));
    }

    [Fact]
    public async Task A_remote_decision_never_shortens_a_local_ban_and_its_delete_never_lifts_it()
    {
        await _service.BanAsync(new BanRequest(Attacker, "sshd", "Failed password", TimeSpan.FromHours(8)), CancellationToken.None);
        _lapi.Answers.Enqueue(new LapiDecisionStream { New = [Decision(1, "192.0.2.7", "1h")] });
        _lapi.Answers.Enqueue(new LapiDecisionStream { Deleted = [Decision(1, "192.0.2.7")] });

        await PullAsync();
        await PullAsync();

        var ban = _store.FindActive(Attacker, _time.GetUtcNow())!;
        Assert.Equal("sshd", ban.Source);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromHours(8), ban.ExpiresAt);
    }

    [Fact]
    public async Task A_remote_decision_never_escalates_the_next_local_ban()
    {
        _lapi.Answers.Enqueue(new LapiDecisionStream { New = [Decision(1, "192.0.2.7", "10m")] });
        await PullAsync();
        _time.Advance(TimeSpan.FromMinutes(11));

        var local = await _service.BanAsync(new BanRequest(Attacker, "sshd", "Failed password"), CancellationToken.None);

        Assert.Equal(1, local.BanCount);
    }

    [Fact]
    public async Task A_local_ban_of_a_remote_address_takes_it_over_so_the_fleets_delete_keeps_it()
    {
        _lapi.Answers.Enqueue(new LapiDecisionStream { New = [Decision(1, "192.0.2.7", "10m")] });
        _lapi.Answers.Enqueue(new LapiDecisionStream { Deleted = [Decision(1, "192.0.2.7")] });
        await PullAsync();
        await _service.BanAsync(new BanRequest(Attacker, "sshd", "Failed password"), CancellationToken.None);

        await PullAsync();

        Assert.Equal("sshd", _store.FindActive(Attacker, _time.GetUtcNow())!.Source);
    }

    [Fact]
    public async Task The_lapi_down_keeps_every_redirect_backs_off_and_catches_up()
    {
        _lapi.Answers.Enqueue(new LapiDecisionStream { New = [Decision(1, "192.0.2.7")] });
        await PullAsync();
        _lapi.Failures = 3;

        var waits = new[] { await PullAsync(), await PullAsync(), await PullAsync() };
        _lapi.Answers.Enqueue(new LapiDecisionStream { New = [Decision(2, "192.0.2.8")] });
        var back = await PullAsync();

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], waits);
        Assert.Equal(TimeSpan.FromSeconds(1), back);
        Assert.True(_firewall.Elements.ContainsKey(Attacker));
        Assert.True(_firewall.Elements.ContainsKey(IPNetwork.Parse("192.0.2.8/32")));
        Assert.Equal([true, false, false, false, false], _lapi.Startups);
    }

    [Fact]
    public async Task A_startup_snapshot_lifts_the_remote_bans_the_fleet_no_longer_holds_and_keeps_local_ones()
    {
        await _service.BanAsync(new BanRequest(IPNetwork.Parse("192.0.2.9/32"), "sshd", "Failed password"), CancellationToken.None);
        await _service.BanAsync(new BanRequest(IPNetwork.Parse("192.0.2.8/32"), "crowdsec:cscli", "deleted while down", TimeSpan.FromHours(1), Remote: true), CancellationToken.None);
        _lapi.Answers.Enqueue(new LapiDecisionStream { New = [Decision(1, "192.0.2.7")] });

        await PullAsync();

        var sources = _store.Active(_time.GetUtcNow()).Select(b => (b.Target, b.Source)).OrderBy(b => b.Source).ToList();
        Assert.Equal([(Attacker, "crowdsec:cscli"), (IPNetwork.Parse("192.0.2.9/32"), "sshd")], sources);
    }

    [Fact]
    public async Task A_restart_reapplies_the_snapshot_as_refreshes_not_new_bans()
    {
        _lapi.Answers.Enqueue(new LapiDecisionStream { New = [Decision(1, "192.0.2.7", "4h")] });
        await PullAsync();
        var restarted = new CrowdsecBouncer(
            new CrowdsecConfig(new Uri("http://127.0.0.1:8080/"), new ConfigSecret("k", null), TimeSpan.FromSeconds(1), [], [], ["ban"], null, null, true), _lapi, _service, _time, _log);
        _time.Advance(TimeSpan.FromMinutes(1));
        _lapi.Answers.Enqueue(new LapiDecisionStream { New = [Decision(1, "192.0.2.7", "3h59m")] });

        await restarted.PullOnceAsync(CancellationToken.None);

        var ban = Assert.Single(_store.Active(_time.GetUtcNow()));
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMinutes(239), ban.ExpiresAt);
    }

    [Fact]
    public async Task A_snapshot_larger_than_a_batch_is_applied_whole_in_batches()
    {
        var count = (2 * CrowdsecBouncer.ApplyBatch) + 1;
        _lapi.Answers.Enqueue(new LapiDecisionStream { New = [.. Enumerable.Range(0, count).Select(i => Decision(i + 1, $"10.{i >> 16}.{(i >> 8) & 255}.{i & 255}"))] });

        await PullAsync();

        Assert.Equal(count, _store.Active(_time.GetUtcNow()).Count);
        Assert.Equal(count, _firewall.Elements.Count);
        Assert.True(_bouncer.Synced);
    }

    [Fact]
    public async Task An_answer_cut_in_the_middle_keeps_what_it_brought_and_the_next_pull_is_a_snapshot()
    {
        _lapi.Answers.Enqueue(new LapiDecisionStream { New = [Decision(1, "192.0.2.7")] });
        await PullAsync();
        var delta = new LapiDecisionStream { New = [.. Enumerable.Range(0, CrowdsecBouncer.ApplyBatch + 500).Select(i => Decision(i + 10, $"10.0.{i >> 8}.{i & 255}"))] };
        _lapi.CutAt = delta.ToJson().Length - 100;
        _lapi.Answers.Enqueue(delta);

        var wait = await PullAsync();
        var keptFromCut = _firewall.Elements.ContainsKey(IPNetwork.Parse("10.0.0.0/32"));
        _lapi.Answers.Enqueue(new LapiDecisionStream { New = [Decision(1, "192.0.2.7"), .. delta.New] });
        await PullAsync();

        Assert.Equal(TimeSpan.FromSeconds(1), wait);
        Assert.True(keptFromCut);
        Assert.True(_firewall.Elements.ContainsKey(Attacker));
        Assert.Equal([true, false, true], _lapi.Startups);
        Assert.Equal(1 + delta.New.Count, _store.Active(_time.GetUtcNow()).Count);
    }

    [Fact]
    public async Task Every_resync_interval_the_whole_set_is_pulled_again_which_brings_a_decision_the_changes_missed_and_lifts_a_missed_delete()
    {
        // Debian 12's LAPI: a decision committed while it answered a change pull is never sent as a change (CI saw
        // cscli's second decision never reach a bouncer pulling every second); only a snapshot brings it.
        var config = new CrowdsecConfig(new Uri("http://127.0.0.1:8080/"), new ConfigSecret("k", null), TimeSpan.FromSeconds(1), [], [], ["ban"], null, null, true)
        {
            ResyncInterval = TimeSpan.FromMinutes(1),
        };
        var bouncer = new CrowdsecBouncer(config, _lapi, _service, _time, _log);
        var missed = IPNetwork.Parse("198.51.100.9/32");
        _lapi.Answers.Enqueue(new LapiDecisionStream { New = [Decision(1, "192.0.2.7"), Decision(2, "198.51.100.8")] });
        await bouncer.PullOnceAsync(CancellationToken.None);
        for (var second = 0; second < 59; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await bouncer.PullOnceAsync(CancellationToken.None);
        }

        Assert.Equal(60, _lapi.Startups.Count);
        Assert.Equal([true], _lapi.Startups.Where(s => s));
        Assert.Null(_store.FindActive(missed, _time.GetUtcNow()));

        // A minute after the snapshot: the whole set again, holding the missed decision and no longer decision 2.
        _time.Advance(TimeSpan.FromSeconds(1));
        _lapi.Answers.Enqueue(new LapiDecisionStream { New = [Decision(1, "192.0.2.7"), Decision(3, "198.51.100.9")] });
        await bouncer.PullOnceAsync(CancellationToken.None);
        await _batcher.FlushWithTableAsync(CancellationToken.None);

        Assert.True(_lapi.Startups[^1]);
        Assert.Equal("crowdsec:cscli", _store.FindActive(missed, _time.GetUtcNow())!.Source);
        Assert.NotNull(_store.FindActive(Attacker, _time.GetUtcNow()));
        Assert.Null(_store.FindActive(IPNetwork.Parse("198.51.100.8/32"), _time.GetUtcNow()));
        Assert.True(_firewall.Elements.ContainsKey(missed));
        Assert.False(_firewall.Elements.ContainsKey(IPNetwork.Parse("198.51.100.8/32")));

        // And back to changes until the next minute.
        _time.Advance(TimeSpan.FromSeconds(1));
        await bouncer.PullOnceAsync(CancellationToken.None);
        Assert.False(_lapi.Startups[^1]);
    }
}
