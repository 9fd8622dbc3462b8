using Tarpit.Config;

namespace Tarpit.Tests.Config;

/// <summary>Issue 19, section 3: <c>[abuseipdb]</c>, its errors in the house format, and that the key never shows.</summary>
public sealed class AbuseIpDbConfigTests : IDisposable
{
    private const string Key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private readonly string _dir = Directory.CreateTempSubdirectory("tarpit-abuse-config-").FullName;

    public AbuseIpDbConfigTests() => File.WriteAllText(KeyFile, Key + "\n");

    private string KeyFile => Path.Combine(_dir, "abuseipdb.key");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Table(string keys) => "[abuseipdb]\n" + keys;

    private string WithKey(string more = "") => Table($"api_key_file = \"{KeyFile}\"\n" + more);

    [Fact]
    public void Reporting_is_off_without_the_table()
    {
        var config = ConfigLoader.Parse("", ConfigErrors.File);

        Assert.False(config.AbuseIpDb.Enabled);
        Assert.Equal(AbuseIpDbConfig.Off, config.AbuseIpDb);
    }

    [Fact]
    public void The_issues_example_is_read_with_its_values()
    {
        var config = ConfigLoader.Parse(WithKey("""
            api_url = "https://api.abuseipdb.com/api/v2/report"
            min_interval_per_ip = "15m"
            daily_budget = 1000
            report = ["decoy", "sshd", "http-probe"]
            """), ConfigErrors.File).AbuseIpDb;

        Assert.True(config.Enabled);
        Assert.Equal(KeyFile, config.ApiKeyFile);
        Assert.Equal(new Uri("https://api.abuseipdb.com/api/v2/report"), config.ApiUrl);
        Assert.Equal(TimeSpan.FromMinutes(15), config.MinIntervalPerIp);
        Assert.Equal(1000, config.DailyBudget);
        Assert.Equal(["decoy", "sshd", "http-probe"], config.Report);
    }

    [Fact]
    public void Only_the_key_file_is_required_and_the_rest_defaults()
    {
        var config = ConfigLoader.Parse(WithKey(), ConfigErrors.File).AbuseIpDb;

        Assert.Equal(AbuseIpDbConfig.DefaultApiUrl, config.ApiUrl);
        Assert.Equal(AbuseIpDbConfig.DefaultMinIntervalPerIp, config.MinIntervalPerIp);
        Assert.Equal(AbuseIpDbConfig.DefaultDailyBudget, config.DailyBudget);
        Assert.Equal(AbuseIpDbConfig.DefaultReport, config.Report);
    }

    [Fact]
    public void A_missing_key_file_setting_is_reported()
    {
        var error = ConfigErrors.Single(Table("daily_budget = 10\n"));

        Assert.StartsWith("tarpit.toml:1:1: error:", error);
        Assert.Contains("api_key_file", error);
    }

    [Fact]
    public void A_key_file_that_does_not_exist_is_reported_at_its_value()
    {
        var missing = Path.Combine(_dir, "nope.key");
        var error = ConfigErrors.Single(Table($"api_key_file = \"{missing}\"\n"));

        Assert.Equal($"tarpit.toml:2:16: error: 'api_key_file' \"{missing}\" does not exist; write the API key into it (mode 0600, readable by the agent's user)", error);
    }

    [Fact]
    public void An_empty_key_file_is_reported()
    {
        File.WriteAllText(KeyFile, "\n");

        var error = ConfigErrors.Single(WithKey());

        Assert.Contains("is empty; write the API key on its first line", error);
    }

    [Fact]
    public void A_folder_as_key_file_is_reported()
    {
        var error = ConfigErrors.Single(Table($"api_key_file = \"{_dir}\"\n"));

        Assert.Contains("is a folder", error);
    }

    [Theory]
    [InlineData("not a url", "is not an http(s) URL")]
    [InlineData("ftp://api.abuseipdb.com/api/v2/report", "is not an http(s) URL")]
    [InlineData("http://api.abuseipdb.com/api/v2/report", "uses http to a host that is not loopback")]
    [InlineData("https://user:pw@api.abuseipdb.com/api/v2/report", "carries a user name or password")]
    public void A_bad_url_is_reported_at_its_value(string url, string expected)
    {
        var error = ConfigErrors.Single(WithKey($"api_url = \"{url}\"\n"));

        Assert.StartsWith("tarpit.toml:3:11: error: 'api_url'", error);
        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/api/v2/report")]
    [InlineData("http://[::1]:8080/api/v2/report")]
    [InlineData("http://localhost:8080/api/v2/report")]
    public void Http_to_loopback_is_allowed_for_a_local_server(string url)
    {
        var config = ConfigLoader.Parse(WithKey($"api_url = \"{url}\"\n"), ConfigErrors.File).AbuseIpDb;

        Assert.Equal(new Uri(url), config.ApiUrl);
    }

    [Fact]
    public void An_unknown_reason_is_reported_with_a_suggestion_and_the_vocabulary()
    {
        var error = ConfigErrors.Single(WithKey("report = [\"decoy\", \"sshdd\"]\n"));

        Assert.Equal(
            "tarpit.toml:3:20: error: unknown 'report' reason string \"sshdd\"; did you mean \"sshd\"? allowed: \"sshd\", \"http-probe\", \"decoy\", \"manual\"",
            error);
    }

    [Fact]
    public void The_reasons_are_the_filter_and_ban_source_vocabulary()
    {
        Assert.Equal([.. FilterNames.BuiltIn, FilterNames.Decoy, Tarpit.Bans.BanSource.Manual], FilterNames.Reportable);
        Assert.Equal(Tarpit.Detection.DetectionEventSink.DecoySource, FilterNames.Decoy);
    }

    [Fact]
    public void An_interval_shorter_than_abuseipdbs_is_reported()
    {
        var error = ConfigErrors.Single(WithKey("min_interval_per_ip = \"5m\"\n"));

        Assert.StartsWith("tarpit.toml:3:23: error: 'min_interval_per_ip' is 5m, shorter than AbuseIPDB's 15m", error);
    }

    [Fact]
    public void A_budget_out_of_range_is_reported()
    {
        var error = ConfigErrors.Single(WithKey("daily_budget = 0\n"));

        Assert.Equal("tarpit.toml:3:16: error: 'daily_budget' is out of range: found 0, allowed 1-10000000", error);
    }

    [Fact]
    public void The_key_never_appears_in_the_printed_config_nor_in_a_reload_note()
    {
        var config = ConfigLoader.Parse(WithKey(), ConfigErrors.File);

        var printed = ConfigPrinter.Render(config);

        Assert.Contains("[abuseipdb]", printed, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, printed, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, config.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, config.AbuseIpDb.Describe(), StringComparison.Ordinal);
        Assert.Equal(config, ConfigLoader.Parse(printed, ConfigErrors.File));
    }

    [Fact]
    public void A_reload_keeps_the_running_reporting_and_says_it_needs_a_restart()
    {
        var running = ConfigLoader.Parse("", ConfigErrors.File);
        var file = ConfigLoader.Parse(WithKey(), ConfigErrors.File);

        var changes = ConfigChanges.Between(running, file);

        Assert.False(changes.Effective.AbuseIpDb.Enabled);
        Assert.Contains(changes.NeedRestart, r => r.StartsWith("abuseipdb off → key file", StringComparison.Ordinal));
    }
}
