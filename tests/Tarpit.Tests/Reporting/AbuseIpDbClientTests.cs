using System.Globalization;
using Tarpit.Config;
using Tarpit.Reporting;
using Tarpit.Store;

namespace Tarpit.Tests.Reporting;

/// <summary>Issue 19 §3: the report client against a local server that speaks AbuseIPDB's report contract.</summary>
public sealed class AbuseIpDbClientTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 5, 0, 0, TimeSpan.Zero);

    private readonly string _dir = Directory.CreateTempSubdirectory("tarpit-abuse-client-").FullName;
    private readonly AbuseIpDbTestServer _server = new();
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));
    private readonly AbuseIpDbClient _client;

    public AbuseIpDbClientTests()
    {
        var keyFile = Path.Combine(_dir, "key");
        File.WriteAllText(keyFile, AbuseIpDbTestServer.Key + "\n");
        _client = AbuseIpDbClient.Create(Config(keyFile, _server.Url), TimeProvider.System);
    }

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
        _timeout.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static AbuseIpDbConfig Config(string keyFile, Uri url) =>
        new(keyFile, url, TimeSpan.FromMinutes(15), 1000, [FilterNames.Sshd]);

    private static ReportRow Row(string ip) => new(1, ip, "sshd", "18,22", "SSH brute force (tarpit-agent)", At, At, 0, At);

    [Fact]
    public async Task A_report_posts_the_form_with_the_key_header_and_accept_json_and_200_is_accepted()
    {
        var result = await _client.SendAsync(Row("198.51.100.7"), _timeout.Token);

        Assert.Equal((ReportResultKind.Accepted, 200), (result.Kind, result.Status));
        var request = Assert.Single(_server.Requests);
        Assert.Equal(AbuseIpDbTestServer.Key, request.Key);
        Assert.Equal("application/json", request.Accept);
        Assert.StartsWith("application/x-www-form-urlencoded", request.ContentType, StringComparison.Ordinal);
        Assert.Equal("198.51.100.7", request.Form["ip"]);
        Assert.Equal("18,22", request.Form["categories"]);
        Assert.Equal("SSH brute force (tarpit-agent)", request.Form["comment"]);
        Assert.Equal("2026-12-02T05:00:00+00:00", request.Form["timestamp"]);
    }

    [Fact]
    public async Task A_second_report_of_one_address_within_15_minutes_is_a_422_duplicate()
    {
        await _client.SendAsync(Row("198.51.100.7"), _timeout.Token);

        var result = await _client.SendAsync(Row("198.51.100.7"), _timeout.Token);

        Assert.Equal((ReportResultKind.Duplicate, 422), (result.Kind, result.Status));
    }

    [Fact]
    public async Task A_429_carries_its_retry_after_in_delta_seconds_and_as_an_http_date()
    {
        _server.Scripted.Enqueue((429, new Dictionary<string, string> { ["Retry-After"] = "120" }));
        var date = DateTimeOffset.UtcNow.AddMinutes(30);
        _server.Scripted.Enqueue((429, new Dictionary<string, string> { ["Retry-After"] = date.ToString("r", CultureInfo.InvariantCulture) }));

        var delta = await _client.SendAsync(Row("198.51.100.7"), _timeout.Token);
        var dated = await _client.SendAsync(Row("198.51.100.7"), _timeout.Token);

        Assert.Equal((ReportResultKind.RateLimited, TimeSpan.FromSeconds(120)), (delta.Kind, delta.RetryAfter));
        Assert.Equal(ReportResultKind.RateLimited, dated.Kind);
        Assert.InRange(dated.RetryAfter, TimeSpan.FromMinutes(28), TimeSpan.FromMinutes(30));
    }

    [Fact]
    public async Task A_500_is_transient_and_a_wrong_key_is_refused()
    {
        _server.Scripted.Enqueue((500, new Dictionary<string, string>()));
        var failed = await _client.SendAsync(Row("198.51.100.7"), _timeout.Token);
        File.WriteAllText(Path.Combine(_dir, "wrong"), "not-the-key\n");
        using var wrong = AbuseIpDbClient.Create(Config(Path.Combine(_dir, "wrong"), _server.Url), TimeProvider.System);

        var refused = await wrong.SendAsync(Row("198.51.100.8"), _timeout.Token);

        Assert.Equal((ReportResultKind.Transient, 500), (failed.Kind, failed.Status));
        Assert.Equal((ReportResultKind.Refused, 401), (refused.Kind, refused.Status));
        Assert.DoesNotContain("not-the-key", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nobody_listening_is_a_transient_error_without_an_answer()
    {
        var url = new Uri($"http://127.0.0.1:{_server.Url.Port}/api/v2/report");
        _server.Dispose();
        using var client = AbuseIpDbClient.Create(Config(Path.Combine(_dir, "key"), url), TimeProvider.System);

        var result = await client.SendAsync(Row("198.51.100.7"), _timeout.Token);

        Assert.Equal(ReportResultKind.Transient, result.Kind);
        Assert.False(result.Answered);
    }

    [Fact]
    public void A_key_file_that_cannot_be_read_stops_the_start_naming_the_file_only()
    {
        var missing = Path.Combine(_dir, "missing.key");

        var error = Assert.Throws<OperatorException>(() => AbuseIpDbClient.Create(Config(missing, _server.Url), TimeProvider.System));

        Assert.Equal(ExitCodes.Config, error.ExitCode);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }
}
