using System.Net;
using Tarpit.Metrics;
using Tarpit.Tarpits;
using Tarpit.Tarpits.Events;

namespace Tarpit.Tests.Metrics;

/// <summary>Issue 18, section 1: the exposition's names, types and labels, and cardinality that attackers cannot grow.</summary>
public sealed class AgentMetricsTests
{
    private const string Ssh = "tarpit=\"ssh\",protocol=\"ssh\",mode=\"endless-banner\"";

    private static ConnectionEvent Event(ConnectionEventKind kind, IPAddress remote, long bytesSent = 0, TimeSpan duration = default, IReadOnlyDictionary<string, string>? details = null, string tarpit = "ssh", string protocol = "ssh", string mode = "endless-banner") =>
        new(kind, 1, DateTimeOffset.UnixEpoch, tarpit, protocol, mode, new IPEndPoint(remote, 40000), 2222, 22, false, false, null, bytesSent, duration, details);

    [Fact]
    public async Task Every_defined_metric_is_exported_with_its_type_and_the_tarpit_prefix()
    {
        var metrics = new AgentMetrics("1.2.3");

        var exposition = await Exposition.ScrapeAsync(metrics);

        Assert.Equal(metrics.Names.Count, metrics.Names.Distinct().Count());
        Assert.All(metrics.Names, name => Assert.Matches("^tarpit_[a-z_]+$", name));
        Assert.All(metrics.Names.Where(n => n.EndsWith("_total", StringComparison.Ordinal)), name => Assert.Equal("counter", exposition.Types[name]));
        Assert.Equal("gauge", exposition.Types["tarpit_connections_held"]);
        Assert.Equal("histogram", exposition.Types["tarpit_connection_held_seconds"]);
        Assert.Equal("histogram", exposition.Types["tarpit_nft_batch_seconds"]);
        Assert.Equal("histogram", exposition.Types["tarpit_store_write_seconds"]);
        Assert.All(metrics.Names, name => Assert.True(exposition.Types.ContainsKey(name), $"{name} has no # TYPE line"));
        Assert.Equal(1, exposition.Value("tarpit_build_info", "version=\"1.2.3\""));
    }

    [Fact]
    public async Task Connection_events_count_accepted_verified_held_bytes_and_seconds_per_tarpit()
    {
        var metrics = new AgentMetrics("0");
        var sink = new MetricsEventSink(metrics);
        var remote = IPAddress.Parse("192.0.2.7");

        sink.Handle(Event(ConnectionEventKind.Opened, remote));
        sink.Handle(Event(ConnectionEventKind.Opened, remote));
        sink.Handle(Event(ConnectionEventKind.Verified, remote));
        sink.Handle(Event(ConnectionEventKind.Closed, remote, bytesSent: 300, duration: TimeSpan.FromSeconds(90)));
        var exposition = await Exposition.ScrapeAsync(metrics);

        Assert.Equal(2, exposition.Value("tarpit_connections_accepted_total", Ssh));
        Assert.Equal(1, exposition.Value("tarpit_connections_verified_total", Ssh));
        Assert.Equal(1, exposition.Value("tarpit_connections_held", Ssh));
        Assert.Equal(300, exposition.Value("tarpit_bytes_sent_total", Ssh));
        Assert.Equal(1, exposition.Value("tarpit_connection_held_seconds_count", Ssh));
        Assert.Equal(90, exposition.Value("tarpit_connection_held_seconds_sum", Ssh));
        Assert.Equal(0, exposition.Value("tarpit_connection_held_seconds_bucket", Ssh + ",le=\"60\""));
        Assert.Equal(1, exposition.Value("tarpit_connection_held_seconds_bucket", Ssh + ",le=\"300\""));
    }

    [Fact]
    public async Task A_bomb_connection_counts_the_body_sent_and_what_it_inflates_to()
    {
        var metrics = new AgentMetrics("0");
        var details = new Dictionary<string, string>
        {
            [BombDetails.CompressedBytes] = "1000",
            [BombDetails.InflatedBytes] = "1000000",
        };

        new MetricsEventSink(metrics).Handle(Event(ConnectionEventKind.Closed, IPAddress.Loopback, bytesSent: 500, details: details, tarpit: "http", protocol: "http", mode: "gzip-bomb"));
        var exposition = await Exposition.ScrapeAsync(metrics);

        Assert.Equal(500, exposition.Value("tarpit_bomb_bytes_sent_total", "tarpit=\"http\""));
        Assert.Equal(500_000, exposition.Value("tarpit_bomb_inflated_bytes_total", "tarpit=\"http\""));
    }

    [Fact]
    public async Task A_thousand_attacker_addresses_add_no_series_and_no_address_reaches_the_exposition()
    {
        var metrics = new AgentMetrics("0");
        var sink = new MetricsEventSink(metrics);
        sink.Handle(Event(ConnectionEventKind.Opened, IPAddress.Parse("198.51.100.1")));
        var before = (await Exposition.ScrapeAsync(metrics)).Samples.Count;

        for (var i = 0; i < 1000; i++)
        {
            var remote = new IPAddress([203, 0, (byte)(i / 256), (byte)(i % 256)]);
            sink.Handle(Event(ConnectionEventKind.Opened, remote));
            sink.Handle(Event(ConnectionEventKind.Verified, remote));
            sink.Handle(Event(ConnectionEventKind.Closed, remote, bytesSent: 10, duration: TimeSpan.FromSeconds(i)));
            metrics.ConnectionRefused("ssh", "ssh", "endless-banner", "max_clients_per_ip");
        }

        var after = await Exposition.ScrapeAsync(metrics);

        // Verified, closed and refused add their series once; nothing grows with the addresses.
        var oneOfEach = after.Samples.Count - before;
        Assert.InRange(oneOfEach, 1, 4 + AgentMetrics.HeldSecondsBuckets.Length + 3);
        Assert.DoesNotContain("203.0.", after.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("198.51.100.1", after.Text, StringComparison.Ordinal);
        Assert.Equal(1001, after.Value("tarpit_connections_accepted_total", Ssh));
        Assert.Equal(1, after.Value("tarpit_connections_held", Ssh));
    }

    [Fact]
    public async Task Ban_sources_past_the_cap_are_counted_as_other()
    {
        var metrics = new AgentMetrics("0");

        for (var i = 0; i < AgentMetrics.MaxSources + 10; i++)
        {
            metrics.BanCreated("jail" + i);
        }

        metrics.BanCreated("jail0");
        var exposition = await Exposition.ScrapeAsync(metrics);

        Assert.Equal(AgentMetrics.MaxSources + 1, exposition.SeriesOf("tarpit_bans_total"));
        Assert.Equal(10, exposition.Value("tarpit_bans_total", "source=\"other\""));
        Assert.Equal(2, exposition.Value("tarpit_bans_total", "source=\"jail0\""));
    }

    [Fact]
    public async Task Active_bans_are_set_for_every_family_and_kind_and_queue_drops_never_go_down()
    {
        var metrics = new AgentMetrics("0");
        var dropped = 7L;
        metrics.BeforeScrape(() =>
        {
            metrics.SetActiveBans(new Dictionary<(string, string), int> { [("ipv4", "address")] = 3, [("ipv6", "network")] = 1 });
            metrics.QueueDropped("sessions", dropped);
        });

        var first = await Exposition.ScrapeAsync(metrics);
        dropped = 2;
        var second = await Exposition.ScrapeAsync(metrics);

        Assert.Equal(3, first.Value("tarpit_bans_active", "family=\"ipv4\",kind=\"address\""));
        Assert.Equal(0, first.Value("tarpit_bans_active", "family=\"ipv4\",kind=\"network\""));
        Assert.Equal(0, first.Value("tarpit_bans_active", "family=\"ipv6\",kind=\"address\""));
        Assert.Equal(1, first.Value("tarpit_bans_active", "family=\"ipv6\",kind=\"network\""));
        Assert.Equal(7, second.Value("tarpit_events_dropped_total", "kind=\"sessions\""));
    }

    [Fact]
    public async Task Watch_nft_store_and_reconcile_instruments_count_what_they_are_told()
    {
        var metrics = new AgentMetrics("0");
        var watch = metrics.ForWatch("sshd");

        watch.LineRead();
        watch.LineRead();
        watch.LineMatched();
        watch.LineCut();
        watch.Failed();
        metrics.NftBatch(TimeSpan.FromMilliseconds(4), failed: false);
        metrics.NftBatch(TimeSpan.FromMilliseconds(40), failed: true);
        metrics.StoreWrite(TimeSpan.FromMilliseconds(1), failed: true);
        metrics.Reconciled(written: 3, adopted: 1);
        metrics.ReconcileFailed();
        metrics.BanRefused("firewall_allow");
        var exposition = await Exposition.ScrapeAsync(metrics);

        Assert.Equal(2, exposition.Value("tarpit_watch_lines_read_total", "watch=\"sshd\""));
        Assert.Equal(1, exposition.Value("tarpit_watch_lines_matched_total", "watch=\"sshd\""));
        Assert.Equal(1, exposition.Value("tarpit_watch_lines_cut_total", "watch=\"sshd\""));
        Assert.Equal(1, exposition.Value("tarpit_watch_errors_total", "watch=\"sshd\""));
        Assert.Equal(2, exposition.Value("tarpit_nft_batch_seconds_count"));
        Assert.Equal(1, exposition.Value("tarpit_nft_batch_seconds_bucket", "le=\"0.005\""));
        Assert.Equal(1, exposition.Value("tarpit_nft_batch_failures_total"));
        Assert.Equal(1, exposition.Value("tarpit_store_write_errors_total"));
        Assert.Equal(1, exposition.Value("tarpit_reconcile_runs_total"));
        Assert.Equal(3, exposition.Value("tarpit_reconcile_drift_total", "kind=\"written\""));
        Assert.Equal(1, exposition.Value("tarpit_reconcile_failures_total"));
        Assert.Equal(1, exposition.Value("tarpit_bans_refused_total", "reason=\"firewall_allow\""));
    }

    [Fact]
    public async Task OpenMetrics_is_served_when_asked_and_ends_with_EOF()
    {
        var metrics = new AgentMetrics("0");

        var exposition = await Exposition.ScrapeAsync(metrics, openMetrics: true);

        Assert.EndsWith("# EOF\n", exposition.Text, StringComparison.Ordinal);
        Assert.Equal("counter", exposition.Types["tarpit_nft_batch_failures"]);
    }
}
