using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Serilog;
using Serilog.Events;
using Tarpit.Bans;
using Tarpit.Firewall;
using Tarpit.Store;
using Tarpit.Tests.Firewall;
using Tarpit.Tests.Store;
using Tarpit.Tests.Tarpits;

namespace Tarpit.Tests.Bans;

/// <summary>The bans the daemon decides while the store refuses writes: held, redirected at once, stored later.</summary>
public sealed class PendingBansTests : IDisposable
{
    private static readonly StoreFaultException Locked = new(StoreFault.Locked, "/state/tarpit.db", new SqliteException("database is locked", 5));

    private readonly TempStateDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
    private readonly CollectingLogSink _logged = new();
    private readonly ILogger _log;

    public PendingBansTests() => _log = _logged.CreateLogger();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task During_an_episode_bans_are_redirected_at_once_held_and_allowlisted_addresses_never_redirected()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var store = BanStore.Open(_dir.Path);
        var changes = new Changes();
        var pending = new PendingBans(_time, _log);
        var service = new BanService(FirewallTestConfig.Firewall("198.51.100.0/24"), store, changes, _time, _log) { Pending = pending };
        pending.Hold(new BanRequest(IPNetwork.Parse("192.0.2.1/32"), "sshd", "first"), TimeSpan.FromHours(1), Locked);

        var outcomes = await service.BanAllAsync(
            [new BanRequest(IPNetwork.Parse("198.51.100.7/32"), "sshd", "x"), new BanRequest(IPNetwork.Parse("192.0.2.2/32"), "sshd", "y")],
            cts.Token);

        Assert.Equal(BanRefusal.Allowlisted, outcomes[0].Refusal);
        Assert.True(outcomes[1].Applied);
        Assert.Contains("not stored yet (database is locked)", outcomes[1].Message, StringComparison.Ordinal);
        var change = Assert.Single(changes.All);
        Assert.Equal(FirewallChange.Ensure(IPNetwork.Parse("192.0.2.2/32"), FirewallTestConfig.Firewall().BanTime), change);
        Assert.Equal(2, pending.Count);
        Assert.Empty(store.Active(_time.GetUtcNow()));
        Assert.Equal(
            [FirewallChange.Ensure(IPNetwork.Parse("192.0.2.1/32"), TimeSpan.FromHours(1)), FirewallChange.Ensure(IPNetwork.Parse("192.0.2.2/32"), FirewallTestConfig.Firewall().BanTime)],
            pending.Redirects(_time.GetUtcNow()));
    }

    [Fact]
    public async Task Held_bans_are_stored_oldest_first_with_backoff_once_the_store_works_and_the_episode_is_logged_once_each_way()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var pending = new PendingBans(_time, _log);
        for (var i = 1; i <= 3; i++)
        {
            pending.Hold(new BanRequest(IPNetwork.Parse($"192.0.2.{i}/32"), "sshd", "x"), TimeSpan.FromHours(1), Locked);
        }

        var attempts = 0;
        var stored = new List<IPNetwork>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var run = pending.RunAsync(
            (requests, _) =>
            {
                if (++attempts <= 3)
                {
                    throw Locked;
                }

                stored.AddRange(requests.Select(r => r.Target));
                return Task.CompletedTask;
            },
            stop.Token);
        while (pending.Count > 0)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5, cts.Token);
        }

        Assert.Equal(4, attempts);
        Assert.Equal([IPNetwork.Parse("192.0.2.1/32"), IPNetwork.Parse("192.0.2.2/32"), IPNetwork.Parse("192.0.2.3/32")], stored);
        Assert.Null(pending.Fault);
        await stop.CancelAsync();
        await run;
        Assert.Single(_logged.Events, e => e.MessageTemplate.Text.StartsWith("The store refuses writes", StringComparison.Ordinal));
        var recovered = Assert.Single(_logged.Events, e => e.MessageTemplate.Text.StartsWith("The store takes writes again", StringComparison.Ordinal));
        Assert.Equal("3", recovered.Properties["Stored"].ToString());
    }

    [Fact]
    public void Past_its_capacity_the_oldest_are_kept_and_the_newer_counted_and_warned_about_once()
    {
        var pending = new PendingBans(_time, _log);
        for (var i = 0; i < PendingBans.Capacity; i++)
        {
            Assert.True(pending.Hold(new BanRequest(new IPNetwork(new IPAddress(0x0A000000u + (uint)i), 32), "sshd", "x"), null, Locked));
        }

        Assert.False(pending.Hold(new BanRequest(IPNetwork.Parse("192.0.2.9/32"), "sshd", "late"), null, Locked));
        Assert.False(pending.Hold(new BanRequest(IPNetwork.Parse("192.0.2.10/32"), "sshd", "later"), null, Locked));

        Assert.Equal(PendingBans.Capacity, pending.Count);
        Assert.Equal(2, pending.Dropped);
        Assert.DoesNotContain(pending.Redirects(_time.GetUtcNow()), c => c.Target == IPNetwork.Parse("192.0.2.9/32"));
        Assert.Single(_logged.Events, e => e.MessageTemplate.Text.Contains("bans are already held", StringComparison.Ordinal));
    }

    [Fact]
    public async Task What_is_still_held_at_stop_is_tried_once_more_and_counted_in_one_line()
    {
        var pending = new PendingBans(_time, _log);
        pending.Hold(new BanRequest(IPNetwork.Parse("192.0.2.1/32"), "sshd", "x"), null, Locked);
        using var stopped = new CancellationTokenSource();
        await stopped.CancelAsync();

        await pending.RunAsync((_, _) => throw Locked, stopped.Token);

        var lost = Assert.Single(_logged.Events, e => e.Level == LogEventLevel.Error);
        Assert.Equal("1", lost.Properties["Count"].ToString());
    }

    private sealed class Changes : IFirewallChangeSink
    {
        public List<FirewallChange> All { get; } = [];

        public ValueTask SubmitAsync(FirewallChange change, CancellationToken cancellationToken)
        {
            All.Add(change);
            return ValueTask.CompletedTask;
        }
    }
}
