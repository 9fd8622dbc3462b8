using System.Net;
using Microsoft.Extensions.Time.Testing;
using Serilog;
using Tarpit.Bans;
using Tarpit.Config;
using Tarpit.Detection.Filters;
using Tarpit.Detection.Judgement;
using Tarpit.Firewall;
using Tarpit.Store;
using Tarpit.Tests.Firewall;
using Tarpit.Tests.Store;

namespace Tarpit.Tests.Bans;

/// <summary>
/// Issue 13, defects 1 and 3: a ban request for an address banned already refreshes it (the longer end wins) and
/// never escalates; offences from before an address's last ban or unban never count again, so restarts that read
/// history back, and fail2ban reporting what the agent's own watch already banned, make one ban of one incident.
/// </summary>
public sealed class BanLifecycleTests : IDisposable
{
    private static readonly IPNetwork Attacker = IPNetwork.Parse("192.0.2.7/32");
    private static readonly WatchConfig Watch = new("ssh-auth", "sshd", null, "/var/log/auth.log", null, MaxRetry: 3, FindTime: TimeSpan.FromMinutes(10));

    private readonly TempStateDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
    private readonly FakeFirewall _firewall = new();
    private readonly ILogger _log = new LoggerConfiguration().CreateLogger();
    private readonly BanStore _store;
    private readonly FirewallBatcher _batcher;
    private readonly BanService _service;

    public BanLifecycleTests()
    {
        _store = BanStore.Open(_dir.Path);
        _batcher = new FirewallBatcher(_firewall);
        _service = new BanService(FirewallTestConfig.Firewall("127.0.0.0/8"), _store, _batcher, _time, _log);
    }

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Three_restarts_that_read_the_same_offences_back_leave_one_ban_of_one_hour()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var offences = new[] { _time.GetUtcNow(), _time.GetUtcNow().AddSeconds(20), _time.GetUtcNow().AddSeconds(40) };
        _time.Advance(TimeSpan.FromSeconds(40));

        for (var start = 0; start < 4; start++)
        {
            // Each start is a new judge (a new process) reading find_time of history back.
            var judge = new WatchJudge(Watch, new SshdFilter(), _service, _log, _time);
            foreach (var at in offences)
            {
                await judge.JudgeAsync(Offence(at), cts.Token);
            }

            _time.Advance(TimeSpan.FromMinutes(1));
        }

        var ban = Assert.Single(_store.List(all: true, _time.GetUtcNow()));
        Assert.Equal((1, offences[2] + TimeSpan.FromHours(1)), (ban.BanCount, ban.ExpiresAt));
    }

    [Fact]
    public async Task An_address_unbanned_by_hand_is_not_banned_again_by_a_restart_reading_its_old_offences()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var offences = new[] { _time.GetUtcNow(), _time.GetUtcNow().AddSeconds(20), _time.GetUtcNow().AddSeconds(40) };
        _time.Advance(TimeSpan.FromSeconds(40));
        var first = new WatchJudge(Watch, new SshdFilter(), _service, _log, _time);
        foreach (var at in offences)
        {
            await first.JudgeAsync(Offence(at), cts.Token);
        }

        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(UnbanResult.Unbanned, (await _service.UnbanAsync(Attacker, cts.Token)).Result);
        _time.Advance(TimeSpan.FromMinutes(1));

        var restarted = new WatchJudge(Watch, new SshdFilter(), _service, _log, _time);
        foreach (var at in offences)
        {
            Assert.Null(await restarted.JudgeAsync(Offence(at), cts.Token));
        }

        Assert.Empty(_store.Active(_time.GetUtcNow()));

        // New offences after the unban are a new incident: counted, banned, escalated.
        BanRequest? again = null;
        for (var i = 0; i < 3; i++)
        {
            again = await restarted.JudgeAsync(Offence(_time.GetUtcNow()), cts.Token);
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.NotNull(again);
        Assert.Equal(2, Assert.Single(_store.Active(_time.GetUtcNow())).BanCount);
    }

    [Fact]
    public async Task Fail2ban_reporting_the_watchs_ban_refreshes_it_and_a_shorter_length_never_shortens_it()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _service.BanAsync(new BanRequest(Attacker, "ssh-auth", "watch", TimeSpan.FromHours(2)), cts.Token);
        _time.Advance(TimeSpan.FromSeconds(5));

        var fail2ban = await _service.BanAsync(new BanRequest(Attacker, "fail2ban", "jail sshd", TimeSpan.FromSeconds(3600)), cts.Token);
        var again = await _service.BanAsync(new BanRequest(Attacker, "fail2ban", "jail sshd", TimeSpan.FromSeconds(3600)), cts.Token);

        var ban = Assert.Single(_store.List(all: true, _time.GetUtcNow()));
        Assert.Equal((1, _time.GetUtcNow() - TimeSpan.FromSeconds(5) + TimeSpan.FromHours(2)), (ban.BanCount, ban.ExpiresAt));
        Assert.True(fail2ban.Refreshed && again.Refreshed);
        Assert.Equal("192.0.2.7 is already banned for 1h59m55s more (ban #1); kept it: a ban is never shortened", fail2ban.Message);
    }

    [Fact]
    public async Task The_watchs_request_after_fail2bans_shorter_ban_of_the_same_incident_extends_it_to_the_watchs_length()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var service = new BanService(FirewallTestConfig.Firewall() with { BanTime = TimeSpan.FromHours(2) }, _store, _batcher, _time, _log);
        await service.BanAsync(new BanRequest(Attacker, "fail2ban", "jail sshd", TimeSpan.FromSeconds(3600)), cts.Token);

        var watch = await service.BanAsync(new BanRequest(Attacker, "ssh-auth", "watch"), cts.Token);

        Assert.Equal((1, _time.GetUtcNow() + TimeSpan.FromHours(2)), (watch.BanCount, watch.ExpiresAt));
        Assert.Single(_store.List(all: true, _time.GetUtcNow()));
    }

    [Fact]
    public async Task A_longer_request_while_banned_extends_the_ban_without_escalating()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _service.BanAsync(new BanRequest(Attacker, "ssh-auth", "watch"), cts.Token);
        _time.Advance(TimeSpan.FromMinutes(30));

        var longer = await _service.BanAsync(new BanRequest(Attacker, "fail2ban", "jail", TimeSpan.FromHours(3)), cts.Token);
        var permanent = await _service.BanAsync(new BanRequest(Attacker, "manual", "by hand", Permanent: true), cts.Token);
        await _batcher.FlushWithTableAsync(cts.Token);

        Assert.Equal("192.0.2.7 was already banned (ban #1); refreshed to 3h from now (not escalated)", longer.Message);
        Assert.Equal((1, (DateTimeOffset?)null), (permanent.BanCount, permanent.ExpiresAt));
        Assert.Null(_firewall.Elements[Attacker]);
    }

    [Fact]
    public async Task Escalation_counts_distinct_incidents_and_a_restored_ban_is_none()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _service.BanAsync(new BanRequest(Attacker, "ssh-auth", "watch"), cts.Token);
        _time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        var second = await _service.BanAsync(new BanRequest(Attacker, "ssh-auth", "watch"), cts.Token);
        _time.Advance(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(1));
        var restored = await _service.BanAsync(new BanRequest(Attacker, "fail2ban", "jail", TimeSpan.FromMinutes(10), Restored: true), cts.Token);
        var restoredFirst = await _service.BanAsync(new BanRequest(IPNetwork.Parse("192.0.2.8/32"), "fail2ban", "jail", TimeSpan.FromMinutes(10), Restored: true), cts.Token);

        Assert.Equal(("banned 192.0.2.7 for 2h (ban #2)", 2), (second.Message, second.BanCount));
        Assert.Equal(("banned 192.0.2.7 for 10m (ban #2)", 2), (restored.Message, restored.BanCount));
        Assert.Equal(1, restoredFirst.BanCount);
    }

    [Fact]
    public async Task Offences_count_only_after_the_last_ban_or_unban_by_hand_of_the_address_or_a_network_around_it()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var address = IPAddress.Parse("192.0.2.7");
        Assert.Null(_service.CountsAfter(address));

        await _service.BanAsync(new BanRequest(Attacker, "ssh-auth", "watch"), cts.Token);
        var banned = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(banned, _service.CountsAfter(address));

        await _service.UnbanAsync(Attacker, cts.Token);
        var unbanned = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(unbanned, _service.CountsAfter(address));

        await _service.BanAsync(new BanRequest(IPNetwork.Parse("192.0.2.0/24"), "manual", "net"), cts.Token);
        Assert.Equal(_time.GetUtcNow(), _service.CountsAfter(address));
    }

    [Fact]
    public async Task An_unban_of_a_ban_that_ran_out_succeeds_and_says_so()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _service.BanAsync(new BanRequest(Attacker, "fail2ban", "jail", TimeSpan.FromSeconds(30)), cts.Token);
        _time.Advance(TimeSpan.FromSeconds(31));

        var outcome = await _service.UnbanAsync(Attacker, cts.Token);
        var allowlisted = await _service.UnbanAsync(IPNetwork.Parse("127.0.0.1/32"), cts.Token);

        Assert.Equal((UnbanResult.AlreadyEnded, true), (outcome.Result, outcome.Succeeded));
        Assert.Equal("192.0.2.7 is not banned any more: its ban ran out 1s ago; nothing to do", outcome.Message);
        Assert.Equal((UnbanResult.Allowlisted, true), (allowlisted.Result, allowlisted.Succeeded));
    }

    private static LogLine Offence(DateTimeOffset at) => new("Invalid user a from 192.0.2.7 port 22", at, at);
}
