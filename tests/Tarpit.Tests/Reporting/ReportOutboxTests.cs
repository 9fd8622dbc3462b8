using System.Net;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using Serilog.Events;
using Tarpit.Bans;
using Tarpit.Config;
using Tarpit.Firewall;
using Tarpit.Reporting;
using Tarpit.Store;
using Tarpit.Tests.Firewall;
using Tarpit.Tests.Store;
using Tarpit.Tests.Tarpits;

namespace Tarpit.Tests.Reporting;

/// <summary>
/// Issue 19 §3: the outbox in the real store, filled by the real ban service, emptied by the reporter over a scripted
/// sender (our own seam) on a fake clock: sent once, skipped inside min_interval_per_ip, retried with backoff, paused
/// by 429, held by the daily budget, bounded, durable across a restart.
/// </summary>
public sealed class ReportOutboxTests : IDisposable
{
    private readonly TempStateDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 22, 0, 0, TimeSpan.Zero));
    private readonly CollectingLogSink _logged = new();
    private readonly ScriptedSender _sender = new();
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));
    private BanStore _store;
    private AbuseIpDbConfig _config = new(
        "/nonexistent/key", AbuseIpDbConfig.DefaultApiUrl, TimeSpan.FromMinutes(15), 1000, [FilterNames.Decoy, FilterNames.Sshd]);

    private BanService _bans = null!;
    private ReportOutbox _outbox = null!;
    private AbuseReporter _reporter = null!;

    public ReportOutboxTests()
    {
        _store = BanStore.Open(_dir.Path);
        Build();
    }

    public void Dispose()
    {
        _reporter.Dispose();
        _store.Dispose();
        _dir.Dispose();
        _timeout.Dispose();
    }

    private void Build()
    {
        var log = _logged.CreateLogger();
        _bans = new BanService(FirewallTestConfig.Firewall("127.0.0.0/8", "203.0.113.0/24"), _store, Substitute.For<IFirewallChangeSink>(), _time, log);
        _outbox = new ReportOutbox(_config, new ReportPolicy(_config, [new WatchConfig("auth", FilterNames.Sshd, null, "/l", null, 5, TimeSpan.FromMinutes(10))]), _store, _time, log);
        _bans.Outbox = _outbox;
        _reporter?.Dispose();
        _reporter = new AbuseReporter(_config, _store, _outbox, _sender, _time, log);
    }

    private DateOnly Today => DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);

    private Task<BanOutcome> BanAsync(string address, string source = "decoy", bool restored = false) =>
        _bans.BanAsync(new BanRequest(IPNetwork.Parse(address + "/32"), source, "sshd: 5 offences within 10m, last: root@myhost", Restored: restored), _timeout.Token);

    [Fact]
    public async Task A_ban_queues_one_report_in_its_transaction_and_the_reporter_sends_it_once()
    {
        await BanAsync("198.51.100.7");

        Assert.Equal(1, _store.CountReports(Today).Queued);
        await _reporter.PassAsync(_timeout.Token);
        await _reporter.PassAsync(_timeout.Token);

        var sent = Assert.Single(_sender.Sent);
        Assert.Equal(("198.51.100.7", "decoy", "14"), (sent.Address, sent.Reason, sent.Categories));
        Assert.Equal(new ReportCounts(0, 1, 0, 0, 1), _store.CountReports(Today));
    }

    [Fact]
    public async Task A_restart_sends_what_was_queued_and_never_what_was_sent()
    {
        await BanAsync("198.51.100.7");
        await _reporter.PassAsync(_timeout.Token);
        await BanAsync("198.51.100.8");

        _store.Dispose();
        _store = BanStore.Open(_dir.Path);
        Build();
        await _reporter.PassAsync(_timeout.Token);

        Assert.Equal(["198.51.100.7", "198.51.100.8"], _sender.Sent.Select(r => r.Address));
    }

    [Fact]
    public async Task Restored_and_allowlisted_bans_queue_nothing()
    {
        await BanAsync("198.51.100.7", source: "auth", restored: true);
        await BanAsync("203.0.113.9");

        Assert.Equal(0, _store.CountReports(Today).Queued);
    }

    [Fact]
    public async Task A_refresh_of_a_ban_in_force_is_no_new_incident_and_queues_nothing()
    {
        await BanAsync("198.51.100.7");
        _time.Advance(TimeSpan.FromMinutes(30));

        var again = await BanAsync("198.51.100.7", source: "auth");
        await _bans.RefreshAsync(IPAddress.Parse("198.51.100.7"), _timeout.Token);

        Assert.True(again.Refreshed);
        Assert.Equal(1, _store.CountReports(Today).Queued);
    }

    [Fact]
    public async Task A_second_ban_inside_min_interval_per_ip_is_skipped_and_one_after_it_is_queued()
    {
        await BanAsync("198.51.100.7");
        await _bans.UnbanAsync(IPNetwork.Parse("198.51.100.7/32"), _timeout.Token);
        _time.Advance(TimeSpan.FromMinutes(10));
        await BanAsync("198.51.100.7");
        Assert.Equal(1, _store.CountReports(Today).Queued);

        await _bans.UnbanAsync(IPNetwork.Parse("198.51.100.7/32"), _timeout.Token);
        _time.Advance(TimeSpan.FromMinutes(6));
        await BanAsync("198.51.100.7");

        Assert.Equal(2, _store.CountReports(Today).Queued);
    }

    [Fact]
    public async Task A_422_is_done_as_a_duplicate_and_never_sent_again()
    {
        _sender.Answers.Enqueue(new ReportResult(ReportResultKind.Duplicate, 422, "HTTP 422"));
        await BanAsync("198.51.100.7");

        await _reporter.PassAsync(_timeout.Token);
        await _reporter.PassAsync(_timeout.Token);

        Assert.Single(_sender.Sent);
        Assert.Equal(new ReportCounts(0, 0, 1, 0, 1), _store.CountReports(Today));
    }

    [Fact]
    public async Task A_5xx_is_retried_after_the_backoff_and_given_up_after_the_last_attempt()
    {
        for (var i = 0; i < ReportBackoff.MaxAttempts; i++)
        {
            _sender.Answers.Enqueue(new ReportResult(ReportResultKind.Transient, 500, "HTTP 500"));
        }

        await BanAsync("198.51.100.7");
        await _reporter.PassAsync(_timeout.Token);
        _time.Advance(ReportBackoff.After(1) - TimeSpan.FromSeconds(1));
        await _reporter.PassAsync(_timeout.Token);
        Assert.Single(_sender.Sent);

        for (var attempt = 1; attempt < ReportBackoff.MaxAttempts; attempt++)
        {
            _time.Advance(ReportBackoff.After(attempt));
            await _reporter.PassAsync(_timeout.Token);
        }

        Assert.Equal(ReportBackoff.MaxAttempts, _sender.Sent.Count);
        var counts = _store.CountReports(Today);
        Assert.Equal((0L, 0L, 0L, 1L), (counts.Queued, counts.Sent, counts.Duplicate, counts.Failed));
        Assert.Contains(_logged.Rendered(LogEventLevel.Warning), m => m.StartsWith("Gave up reporting 198.51.100.7", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_429_pauses_every_report_for_its_retry_after_and_the_row_goes_first_after_it()
    {
        _sender.Answers.Enqueue(new ReportResult(ReportResultKind.RateLimited, 429, "HTTP 429", TimeSpan.FromMinutes(5)));
        await BanAsync("198.51.100.7");
        await BanAsync("198.51.100.8");

        var wait = await _reporter.PassAsync(_timeout.Token);
        _time.Advance(TimeSpan.FromMinutes(4));
        await _reporter.PassAsync(_timeout.Token);
        Assert.Equal(TimeSpan.FromMinutes(5), wait);
        Assert.Single(_sender.Sent);

        _time.Advance(TimeSpan.FromMinutes(1));
        await _reporter.PassAsync(_timeout.Token);

        Assert.Equal(["198.51.100.7", "198.51.100.7", "198.51.100.8"], _sender.Sent.Select(r => r.Address));
    }

    [Fact]
    public async Task A_spent_budget_stops_with_one_warning_until_utc_midnight_and_resumes_then()
    {
        _config = _config with { DailyBudget = 2 };
        Build();
        foreach (var address in (string[])["198.51.100.1", "198.51.100.2", "198.51.100.3"])
        {
            await BanAsync(address);
        }

        await _reporter.PassAsync(_timeout.Token);
        var wait = await _reporter.PassAsync(_timeout.Token);
        await _reporter.PassAsync(_timeout.Token);

        Assert.Equal(2, _sender.Sent.Count);
        Assert.Equal(TimeSpan.FromHours(2), wait);
        Assert.True(_reporter.Status().BudgetSpent);
        Assert.Single(_logged.Rendered(LogEventLevel.Warning), m => m.Contains("daily_budget of 2 requests is spent", StringComparison.Ordinal));

        _time.Advance(TimeSpan.FromHours(2));
        await _reporter.PassAsync(_timeout.Token);

        Assert.Equal(3, _sender.Sent.Count);
        Assert.False(_reporter.Status().BudgetSpent);
    }

    [Fact]
    public async Task The_outbox_is_bounded_and_drops_the_newest_report_past_it()
    {
        for (var i = 0; i < ReportOutbox.Capacity; i++)
        {
            _store.InsertReport(new ReportRow(0, $"2001:db8::{i:x}", "decoy", "14", "c", _time.GetUtcNow(), _time.GetUtcNow(), 0, _time.GetUtcNow()));
        }

        await BanAsync("198.51.100.7");

        Assert.Equal(ReportOutbox.Capacity, _store.CountReports(Today).Queued);
        Assert.Equal(1, _outbox.Dropped);
        Assert.Single(_logged.Rendered(LogEventLevel.Warning), m => m.StartsWith("The AbuseIPDB outbox holds 10000 reports waiting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Done_reports_are_pruned_with_the_bans_retention_and_queued_ones_never()
    {
        await BanAsync("198.51.100.7");
        await _reporter.PassAsync(_timeout.Token);
        await BanAsync("198.51.100.8");
        _time.Advance(TimeSpan.FromDays(40));

        var retention = new StoreRetention(_store, TimeSpan.FromDays(7), TimeSpan.FromDays(30), _time, _logged.CreateLogger());
        await retention.PruneAsync(_timeout.Token);

        var counts = _store.CountReports(DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime));
        Assert.Equal((1, 0), (counts.Queued, counts.Sent));
    }

    [Fact]
    public async Task The_metrics_count_each_outcome_and_the_queue_and_budget_gauges_follow_the_outbox()
    {
        var metrics = new Tarpit.Metrics.AgentMetrics("0");
        _config = _config with { DailyBudget = 1 };
        Build();
        _outbox.Metrics = metrics;
        _reporter.Metrics = metrics;
        await BanAsync("198.51.100.7");
        await BanAsync("198.51.100.8");

        await _reporter.PassAsync(_timeout.Token);
        var status = _reporter.Status();
        metrics.SetReportQueue(status.Counts.Queued, status.BudgetSpent);
        var exposition = await Tarpit.Tests.Metrics.Exposition.ScrapeAsync(metrics);

        Assert.Equal(2, exposition.Value("tarpit_abuseipdb_reports_total", "outcome=\"queued\""));
        Assert.Equal(1, exposition.Value("tarpit_abuseipdb_reports_total", "outcome=\"sent\""));
        Assert.Equal(1, exposition.Value("tarpit_abuseipdb_queued"));
        Assert.Equal(1, exposition.Value("tarpit_abuseipdb_budget_spent"));
    }

    /// <summary>Answers in order what the test queued, 200 when nothing is queued; records every report sent.</summary>
    private sealed class ScriptedSender : IReportSender
    {
        public Queue<ReportResult> Answers { get; } = new();

        public List<ReportRow> Sent { get; } = [];

        public Task<ReportResult> SendAsync(ReportRow report, CancellationToken cancellationToken)
        {
            Sent.Add(report);
            return Task.FromResult(Answers.TryDequeue(out var answer) ? answer : new ReportResult(ReportResultKind.Accepted, 200, "HTTP 200"));
        }
    }
}
