using System.Net;
using Microsoft.Extensions.Time.Testing;
using Serilog;
using Tarpit.Store;

namespace Tarpit.Tests.Store;

/// <summary>Issue 13, item 7: the store is pruned in the background, in batches, and never of a ban in force.</summary>
public sealed class StoreRetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Sessions_past_the_retention_are_deleted_in_batches_and_newer_ones_stay()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var dir = new TempStateDir();
        var store = BanStore.Open(dir.Path);
        var old = Enumerable.Range(0, StoreRetention.BatchSize * 2 + 5).Select(i => Session(i, Now - TimeSpan.FromDays(31))).ToList();
        store.AddSessions(old);
        store.AddSessions([Session(1, Now - TimeSpan.FromDays(29)), Session(2, Now - TimeSpan.FromHours(1))]);
        var time = new FakeTimeProvider(Now);
        var retention = new StoreRetention(store, TimeSpan.FromDays(30), TimeSpan.FromDays(180), time, new LoggerConfiguration().CreateLogger());

        var run = retention.RunAsync(cts.Token);
        // The first pass comes after FirstPassDelay; its batches pause between them (fake time, advanced here).
        while (store.SessionCount() > 2 && !cts.IsCancellationRequested)
        {
            time.Advance(StoreRetention.BatchPause);
            await Task.Delay(5, cts.Token);
            time.Advance(StoreRetention.FirstPassDelay);
        }

        await cts.CancelAsync();
        await run;
        Assert.Equal(2, store.SessionCount());
    }

    [Fact]
    public async Task Ended_bans_past_the_retention_are_deleted_and_bans_in_force_never_are()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var dir = new TempStateDir();
        var store = BanStore.Open(dir.Path);
        var longAgo = Now - TimeSpan.FromDays(400);
        // Permanent since long ago; expired long ago; lifted long ago; 1000-day ban from long ago still in force;
        // expired recently.
        store.Insert(Ban("192.0.2.1/32", longAgo, expires: null));
        store.Insert(Ban("192.0.2.2/32", longAgo, expires: longAgo + TimeSpan.FromHours(1)));
        store.Insert(Ban("192.0.2.3/32", longAgo, expires: null) with { UnbannedAt = longAgo + TimeSpan.FromDays(1) });
        store.Insert(Ban("192.0.2.4/32", longAgo, expires: longAgo + TimeSpan.FromDays(1000)));
        store.Insert(Ban("192.0.2.5/32", Now - TimeSpan.FromDays(10), expires: Now - TimeSpan.FromDays(9)));
        var retention = new StoreRetention(store, TimeSpan.FromDays(30), TimeSpan.FromDays(180), new FakeTimeProvider(Now), new LoggerConfiguration().CreateLogger());

        var (_, bans) = await retention.PruneAsync(cts.Token);

        Assert.Equal(2, bans);
        var left = store.List(all: true, Now).Select(b => b.Target.ToString()).Order().ToList();
        Assert.Equal(["192.0.2.1/32", "192.0.2.4/32", "192.0.2.5/32"], left);
        // Escalation memory: the pruned address starts again at ban #1, a recent one is still counted.
        Assert.Equal(0, store.History(IPNetwork.Parse("192.0.2.2/32")).BanCount);
        Assert.Equal(1, store.History(IPNetwork.Parse("192.0.2.5/32")).BanCount);
    }

    [Fact]
    public async Task A_reload_changes_the_retention_from_the_next_pass_on()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var dir = new TempStateDir();
        var store = BanStore.Open(dir.Path);
        store.AddSessions([Session(1, Now - TimeSpan.FromDays(10))]);
        var retention = new StoreRetention(store, TimeSpan.FromDays(30), TimeSpan.FromDays(180), new FakeTimeProvider(Now), new LoggerConfiguration().CreateLogger());
        Assert.Equal(0, (await retention.PruneAsync(cts.Token)).Sessions);

        retention.Reconfigure(TimeSpan.FromDays(7), TimeSpan.FromDays(180));

        Assert.Equal(1, (await retention.PruneAsync(cts.Token)).Sessions);
    }

    private static BanRecord Ban(string target, DateTimeOffset bannedAt, DateTimeOffset? expires) => new(
        0, IPNetwork.Parse(target), "manual", "test", bannedAt, bannedAt, expires, expires - bannedAt, 1, null);

    private static SessionRecord Session(int i, DateTimeOffset ended) =>
        new(IPAddress.Parse($"192.0.2.{i % 250}"), "ssh", "endless-banner", 22, ended - TimeSpan.FromMinutes(1), ended, 10, false, null);
}
