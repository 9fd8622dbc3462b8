using System.Net;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using Serilog.Events;
using Tarpit.Bans;
using Tarpit.Firewall;
using Tarpit.Store;
using Tarpit.Tests.Firewall;
using Tarpit.Tests.Store;
using Tarpit.Tests.Tarpits;

namespace Tarpit.Tests.Bans;

/// <summary>
/// A redirected client that comes back while the store refuses writes: the refresh is skipped with one warning per
/// episode, never an exception per returning client (it reached the detection sink's error line, with a stack).
/// </summary>
public sealed class BanServiceRefreshFaultTests : IDisposable
{
    private readonly TempStateDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
    private readonly CollectingLogSink _logged = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_refresh_the_locked_store_refuses_keeps_the_ban_warns_once_and_says_when_refreshes_are_stored_again()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var store = BanStore.Open(_dir.Path);
        var log = _logged.CreateLogger();
        var service = new BanService(FirewallTestConfig.Firewall(), store, Substitute.For<IFirewallChangeSink>(), _time, log);
        await service.BanAsync(new BanRequest(IPNetwork.Parse("192.0.2.2/32"), "sshd", "x", TimeSpan.FromHours(1)), cts.Token);
        var end = store.Active(_time.GetUtcNow())[0].ExpiresAt;
        _time.Advance(TimeSpan.FromMinutes(5));

        // Another process holds the write lock longer than the store waits (BanStore.BusyTimeout).
        using (var holder = store.Connect())
        {
            using (var begin = holder.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE; UPDATE bans SET reason = reason WHERE id = -1;";
                begin.ExecuteNonQuery();
            }

            Assert.True(await service.RefreshAsync(IPAddress.Parse("192.0.2.2"), cts.Token));
            using var rollback = holder.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            rollback.ExecuteNonQuery();
        }

        var refused = Assert.Single(_logged.Events, e => e.Level == LogEventLevel.Warning);
        Assert.StartsWith("The store refused to refresh the ban of \"192.0.2.2\" (\"database is locked\")", refused.RenderMessage(), StringComparison.Ordinal);
        Assert.Null(refused.Exception);
        Assert.Equal(end, store.Active(_time.GetUtcNow())[0].ExpiresAt);

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(await service.RefreshAsync(IPAddress.Parse("192.0.2.2"), cts.Token));

        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromHours(1), store.Active(_time.GetUtcNow())[0].ExpiresAt);
        Assert.Equal("The store takes refreshes again (refused for 300s)", _logged.Events.Last(e => e.Level == LogEventLevel.Warning).RenderMessage());
    }
}
