using System.Net;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Serilog;
using Tarpit.Bans;
using Tarpit.Firewall;
using Tarpit.Store;
using Tarpit.Tests.Firewall;
using Tarpit.Tests.Store;

namespace Tarpit.Tests.Bans;

public sealed class BanServiceTests : IDisposable
{
    private readonly TempStateDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
    private readonly IFirewallChangeSink _changes = Substitute.For<IFirewallChangeSink>();
    private readonly BanStore _store;
    private readonly BanService _service;

    public BanServiceTests()
    {
        _store = BanStore.Open(_dir.Path);
        _service = new BanService(FirewallTestConfig.Firewall("127.0.0.0/8", "::1/128", "203.0.113.0/24"), _store, _changes, _time, new LoggerConfiguration().CreateLogger());
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("203.0.113.9/32")]
    [InlineData("203.0.0.0/16")]
    [InlineData("::1/128")]
    public async Task An_allowlisted_target_is_refused_before_anything_is_stored_or_sent(string target)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var outcome = await _service.BanAsync(new BanRequest(IPNetwork.Parse(target), "manual", "test"), cts.Token);

        Assert.False(outcome.Applied);
        Assert.Equal(BanRefusal.Allowlisted, outcome.Refusal);
        Assert.Contains("allowlisted", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_store.List(all: true, _time.GetUtcNow()));
        Assert.Empty(_changes.ReceivedCalls());
    }

    [Fact]
    public async Task Repeat_bans_escalate_from_ban_time_and_each_is_sent_with_its_timeout()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var target = IPNetwork.Parse("192.0.2.2/32");
        var request = new BanRequest(target, "sshd", "5 failures");

        var first = await _service.BanAsync(request, cts.Token);
        _time.Advance(TimeSpan.FromHours(2));
        var second = await _service.BanAsync(request, cts.Token);

        Assert.Equal((true, 1, "banned 192.0.2.2 for 1h (ban #1)"), (first.Applied, first.BanCount, first.Message));
        Assert.Equal((2, _time.GetUtcNow() + TimeSpan.FromHours(2)), (second.BanCount, second.ExpiresAt));
        // Both are new bans (the first ended): creates, which nft turns into a replace if the element is still there.
        await _changes.Received(1).SubmitAsync(FirewallChange.Create(target, TimeSpan.FromHours(1)), Arg.Any<CancellationToken>());
        await _changes.Received(1).SubmitAsync(FirewallChange.Create(target, TimeSpan.FromHours(2)), Arg.Any<CancellationToken>());
        Assert.Equal(2, _store.List(all: true, _time.GetUtcNow()).Count);
    }

    [Fact]
    public async Task An_explicit_duration_or_permanent_ban_wins_over_escalation()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var timed = await _service.BanAsync(new BanRequest(IPNetwork.Parse("192.0.2.3/32"), "manual", "x", TimeSpan.FromSeconds(2)), cts.Token);
        var permanent = await _service.BanAsync(new BanRequest(IPNetwork.Parse("192.0.2.4/32"), "fail2ban", "jail", Permanent: true), cts.Token);

        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(2), timed.ExpiresAt);
        Assert.Null(permanent.ExpiresAt);
        await _changes.Received(1).SubmitAsync(FirewallChange.Create(IPNetwork.Parse("192.0.2.4/32"), null), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_firewall_failure_keeps_the_ban_in_the_store_and_reports_the_error()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
#pragma warning disable CA2012 // NSubstitute configures the call; the ValueTask is never awaited here.
        _changes.SubmitAsync(Arg.Any<FirewallChange>(), Arg.Any<CancellationToken>()).Throws(new FirewallException("'nft -f -' failed with exit code 1: Operation not permitted"));
#pragma warning restore CA2012

        var outcome = await _service.BanAsync(new BanRequest(IPNetwork.Parse("192.0.2.2/32"), "sshd", "x"), cts.Token);

        Assert.False(outcome.Applied);
        Assert.Contains("Operation not permitted", outcome.FirewallError, StringComparison.Ordinal);
        Assert.Single(_store.Active(_time.GetUtcNow()));
    }

    [Fact]
    public async Task A_prefix_ban_keeps_the_address_bans_inside_it_and_stores_later_ones_in_their_own_right()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _service.BanAsync(new BanRequest(IPNetwork.Parse("192.0.2.2/32"), "sshd", "x"), cts.Token);

        var net = await _service.BanAsync(new BanRequest(IPNetwork.Parse("192.0.2.0/24"), "manual", "net"), cts.Token);
        var later = await _service.BanAsync(new BanRequest(IPNetwork.Parse("192.0.2.9/32"), "sshd", "x"), cts.Token);

        await _changes.DidNotReceive().SubmitAsync(Arg.Is<FirewallChange>(c => c.Kind == FirewallChangeKind.Remove), Arg.Any<CancellationToken>());
        Assert.Equal(
            ["192.0.2.0/24", "192.0.2.2/32", "192.0.2.9/32"],
            _store.Active(_time.GetUtcNow()).Select(b => b.Target.ToString()).Order(StringComparer.Ordinal));
        Assert.Contains(net.Notes, n => n.StartsWith("192.0.2.2 keeps its own ban", StringComparison.Ordinal));
        Assert.Equal("banned 192.0.2.9 for 1h (ban #1)", later.Message);
        Assert.Contains(later.Notes, n => n.Contains("inside the ban of 192.0.2.0/24", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_returning_offender_extends_its_ban_by_its_length_and_unknown_addresses_are_not_refreshed()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _service.BanAsync(new BanRequest(IPNetwork.Parse("2001:db8:1::/64"), "sshd", "x", TimeSpan.FromHours(1)), cts.Token);
        _time.Advance(TimeSpan.FromMinutes(30));

        var refreshed = await _service.RefreshAsync(IPAddress.Parse("2001:db8:1::2"), cts.Token);
        var unknown = await _service.RefreshAsync(IPAddress.Parse("2001:db8:2::2"), cts.Token);

        Assert.True(refreshed);
        Assert.False(unknown);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromHours(1), _store.Active(_time.GetUtcNow())[0].ExpiresAt);
        // The ban (a create: nothing of it in force), then its refresh: the same element again, replacing its timeout.
        await _changes.Received(1).SubmitAsync(FirewallChange.Create(IPNetwork.Parse("2001:db8:1::/64"), TimeSpan.FromHours(1)), Arg.Any<CancellationToken>());
        await _changes.Received(1).SubmitAsync(FirewallChange.Add(IPNetwork.Parse("2001:db8:1::/64"), TimeSpan.FromHours(1)), Arg.Any<CancellationToken>());
    }

    [Theory]
    [InlineData(3600, 59, false)]
    [InlineData(3600, 60, true)]
    [InlineData(20, 1, false)]
    [InlineData(20, 2, true)]
    public async Task A_refresh_moves_the_expiry_only_by_at_least_a_minute_or_a_tenth_of_a_shorter_ban(int banSeconds, int laterSeconds, bool moved)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var length = TimeSpan.FromSeconds(banSeconds);
        await _service.BanAsync(new BanRequest(IPNetwork.Parse("192.0.2.2/32"), "sshd", "x", length), cts.Token);
        var before = _store.Active(_time.GetUtcNow())[0].ExpiresAt;
        _time.Advance(TimeSpan.FromSeconds(laterSeconds));

        Assert.True(await _service.RefreshAsync(IPAddress.Parse("192.0.2.2"), cts.Token));

        var after = _store.Active(_time.GetUtcNow())[0].ExpiresAt;
        Assert.Equal(moved ? _time.GetUtcNow() + length : before, after);
        await _changes.Received(moved ? 2 : 1).SubmitAsync(Arg.Is<FirewallChange>(c => c.Target == IPNetwork.Parse("192.0.2.2/32")), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Unban_removes_the_redirect_keeps_history_and_tells_an_ended_ban_from_one_never_made()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var target = IPNetwork.Parse("192.0.2.2/32");
        await _service.BanAsync(new BanRequest(target, "sshd", "x"), cts.Token);

        var unbanned = await _service.UnbanAsync(target, cts.Token);
        var again = await _service.UnbanAsync(target, cts.Token);
        var never = await _service.UnbanAsync(IPNetwork.Parse("192.0.2.3/32"), cts.Token);

        Assert.Equal(UnbanResult.Unbanned, unbanned.Result);
        Assert.Equal((UnbanResult.AlreadyEnded, "192.0.2.2 is not banned any more: its ban was lifted just now; nothing to do"), (again.Result, again.Message));
        Assert.Equal((UnbanResult.NeverBanned, "192.0.2.3 is not banned (it never was)", false), (never.Result, never.Message, never.Succeeded));
        await _changes.Received(1).SubmitAsync(FirewallChange.Remove(target), Arg.Any<CancellationToken>());
        Assert.Single(_store.List(all: true, _time.GetUtcNow()));
    }

    [Fact]
    public void IsAllowed_checks_the_allowlist_including_ipv4_mapped_addresses()
    {
        Assert.True(_service.IsAllowed(IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.False(_service.IsAllowed(IPAddress.Parse("192.0.2.2")));
    }
}
