using System.Net;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using Serilog;
using Tarpit.Bans;
using Tarpit.Firewall;
using Tarpit.Metrics;
using Tarpit.Store;
using Tarpit.Tests.Firewall;
using Tarpit.Tests.Store;

namespace Tarpit.Tests.Metrics;

/// <summary>The parts count through their <see cref="AgentMetrics"/>: new bans by source (not refreshes), refusals by allowlist, store writes.</summary>
public sealed class PartMetricsTests : IDisposable
{
    private readonly TempStateDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
    private readonly BanStore _store;
    private readonly BanService _service;
    private readonly AgentMetrics _metrics = new("0");

    public PartMetricsTests()
    {
        _store = BanStore.Open(_dir.Path);
        _store.Metrics = _metrics;
        _service = new BanService(FirewallTestConfig.Firewall("127.0.0.0/8"), _store, Substitute.For<IFirewallChangeSink>(), _time, new LoggerConfiguration().CreateLogger())
        {
            Metrics = _metrics,
        };
    }

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task The_ban_service_counts_new_bans_by_source_and_allowlist_refusals_and_the_store_times_its_writes()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await _service.BanAsync(new BanRequest(IPNetwork.Parse("192.0.2.1/32"), "sshd", "5 failures"), cts.Token);
        await _service.BanAsync(new BanRequest(IPNetwork.Parse("192.0.2.1/32"), "sshd", "again"), cts.Token);
        await _service.BanAsync(new BanRequest(IPNetwork.Parse("192.0.2.2/32"), "fail2ban", "jail"), cts.Token);
        await _service.BanAsync(new BanRequest(IPNetwork.Parse("127.0.0.1/32"), "manual", "oops"), cts.Token);
        var exposition = await Exposition.ScrapeAsync(_metrics);

        Assert.Equal(1, exposition.Value("tarpit_bans_total", "source=\"sshd\""));
        Assert.Equal(1, exposition.Value("tarpit_bans_total", "source=\"fail2ban\""));
        Assert.Equal(1, exposition.Value("tarpit_bans_refused_total", "reason=\"firewall_allow\""));
        Assert.Equal(4, exposition.Value("tarpit_store_write_seconds_count"));
        Assert.Equal(0, exposition.Value("tarpit_store_write_errors_total"));
    }
}
