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

/// <summary>Issue 17, watcher: the bans decided here become alerts (never the fleet's, never restored ones), from a bounded queue the ban path never waits on.</summary>
public sealed class AlertPusherTests : IDisposable
{
    private readonly TempStateDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 6, 0, 0, TimeSpan.Zero));
    private readonly ILogger _log = new LoggerConfiguration().CreateLogger();
    private readonly BanStore _store;
    private readonly BanService _service;
    private readonly AlertPusher _pusher;
    private readonly RecordingLapi _lapi = new();

    public AlertPusherTests()
    {
        _store = BanStore.Open(_dir.Path);
        _service = new BanService(FirewallTestConfig.Firewall(), _store, new FirewallBatcher(new FakeFirewall()), _time, _log);
        var config = new CrowdsecConfig(new Uri("http://127.0.0.1:8080/"), null, TimeSpan.FromSeconds(1), [], [], ["ban"], "hostA", new ConfigSecret("pw", null), true);
        _pusher = new AlertPusher(config, _lapi, TimeProvider.System, _log);
        _service.Observer = _pusher;
    }

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void An_alert_carries_its_decision_with_the_time_left_and_our_scenario()
    {
        var now = _time.GetUtcNow();
        var host = new BanRecord(1, IPNetwork.Parse("192.0.2.7/32"), "sshd", "r", now, now, now + TimeSpan.FromHours(1), TimeSpan.FromHours(1), 1, null);
        var range = host with { Target = IPNetwork.Parse("2001:db8::/48"), Source = "Fail2Ban jail!" };
        var pusher = new AlertPusher(new CrowdsecConfig(new Uri("http://127.0.0.1:8080/"), null, TimeSpan.FromSeconds(1), [], [], ["ban"], "hostA", new ConfigSecret("pw", null), true), _lapi, _time, _log);

        var alert = pusher.Alert(host);
        var wide = pusher.Alert(range);

        Assert.Equal("tarpit-agent/sshd", alert.Scenario);
        Assert.Equal(("Ip", "192.0.2.7", "192.0.2.7"), (alert.Source.Scope, alert.Source.Value, alert.Source.Ip));
        var decision = Assert.Single(alert.Decisions);
        Assert.Equal(("ban", "Ip", "192.0.2.7", "3600s", "tarpit-agent@hostA"), (decision.Type, decision.Scope, decision.Value, decision.Duration, decision.Origin));
        Assert.Equal("tarpit-agent/fail2ban-jail-", wide.Scenario);
        Assert.Equal(("Range", "2001:db8::/48"), (wide.Source.Scope, wide.Source.Range));
    }

    [Fact]
    public async Task Local_bans_are_pushed_in_one_batch_the_fleets_and_restored_ones_never()
    {
        await _service.BanAllAsync(
            [
                new BanRequest(IPNetwork.Parse("192.0.2.1/32"), "sshd", "Failed password"),
                new BanRequest(IPNetwork.Parse("192.0.2.2/32"), "decoy", "decoy hit"),
                new BanRequest(IPNetwork.Parse("192.0.2.3/32"), "crowdsec:cscli", "remote", TimeSpan.FromHours(1), Remote: true),
                new BanRequest(IPNetwork.Parse("192.0.2.4/32"), "fail2ban", "restored ticket", Restored: true),
            ],
            CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var running = _pusher.RunAsync(cts.Token);
        await _lapi.FirstPush.Task.WaitAsync(cts.Token);
        await cts.CancelAsync();
        await running;

        var batch = Assert.Single(_lapi.Batches);
        Assert.Equal(["192.0.2.1", "192.0.2.2"], batch.Select(a => a.Source.Value));
    }

    [Fact]
    public void A_full_queue_drops_and_counts_and_never_blocks_a_ban()
    {
        var now = _time.GetUtcNow();
        for (var i = 0; i < AlertPusher.QueueCapacity + 5; i++)
        {
            _pusher.Decided(new BanRecord(i, IPNetwork.Parse("192.0.2.7/32"), "sshd", "r", now, now, now + TimeSpan.FromHours(1), TimeSpan.FromHours(1), 1, null));
        }

        Assert.Equal(5, _pusher.Dropped);
    }

    private sealed class RecordingLapi : ILapiAlerts
    {
        public List<List<LapiAlert>> Batches { get; } = [];

        public TaskCompletionSource FirstPush { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task PushAsync(IReadOnlyList<LapiAlert> alerts, CancellationToken cancellationToken)
        {
            Batches.Add([.. alerts]);
            FirstPush.TrySetResult();
            return Task.CompletedTask;
        }
    }
}
