using Tarpit.Config;

namespace Tarpit.Tests.Config;

/// <summary>Issue 17, config: <c>[crowdsec]</c> read, validated with file:line:col, secrets read from files and never printed.</summary>
public sealed class CrowdsecConfigTests : IDisposable
{
    private const string Tarpit = """
        [[tarpit]]
        name = "ssh"
        protocol = "ssh"
        listen = ["127.0.0.1:2222"]

        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("tarpit-crowdsec-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ConfigFile Parse(string toml) => ConfigLoader.Parse(toml, ConfigErrors.File);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Without_the_table_there_is_no_crowdsec()
    {
        Assert.Null(Parse(Tarpit).Crowdsec);
    }

    [Fact]
    public void Defaults_fill_an_empty_table()
    {
        var crowdsec = Parse(Tarpit + "[crowdsec]\n").Crowdsec!;

        Assert.Equal(new Uri("http://127.0.0.1:8080/"), crowdsec.LapiUrl);
        Assert.Equal(TimeSpan.FromSeconds(10), crowdsec.PullInterval);
        Assert.Equal(TimeSpan.FromMinutes(10), crowdsec.ResyncInterval);
        Assert.Empty(crowdsec.Origins);
        Assert.Empty(crowdsec.ScenariosContaining);
        Assert.Equal(["ban"], crowdsec.Types);
        Assert.True(crowdsec.Push);
        Assert.False(crowdsec.BouncerEnabled);
        Assert.False(crowdsec.WatcherEnabled);
    }

    [Fact]
    public void Every_key_is_read()
    {
        var crowdsec = Parse(Tarpit + """
            [crowdsec]
            lapi_url = "http://10.0.0.1:8080"
            bouncer_key = "k3y"
            pull_interval = "1s"
            resync_interval = "30m"
            origins = ["cscli", "crowdsec"]
            scenarios_containing = ["ssh"]
            types = ["ban", "captcha"]
            machine_login = "hostA"
            machine_password = "pw"
            push = false
            """).Crowdsec!;

        Assert.Equal(new Uri("http://10.0.0.1:8080/"), crowdsec.LapiUrl);
        Assert.Equal("k3y", crowdsec.BouncerKey!.Reveal());
        Assert.Equal(TimeSpan.FromSeconds(1), crowdsec.PullInterval);
        Assert.Equal(TimeSpan.FromMinutes(30), crowdsec.ResyncInterval);
        Assert.Equal(["cscli", "crowdsec"], crowdsec.Origins);
        Assert.Equal(["ssh"], crowdsec.ScenariosContaining);
        Assert.Equal(["ban", "captcha"], crowdsec.Types);
        Assert.Equal("hostA", crowdsec.MachineLogin);
        Assert.Equal("pw", crowdsec.MachinePassword!.Reveal());
        Assert.False(crowdsec.Push);
        Assert.False(crowdsec.WatcherEnabled);
    }

    [Fact]
    public void Secrets_are_read_from_files_trimmed_and_their_paths_kept()
    {
        var key = Write("bouncer.key", "abcdef0123\n");
        var password = Write("machine.pw", "  s3cret \n");

        var crowdsec = Parse(Tarpit + $"""
            [crowdsec]
            bouncer_key_file = "{key}"
            machine_login = "hostA"
            machine_password_file = "{password}"
            """).Crowdsec!;

        Assert.Equal("abcdef0123", crowdsec.BouncerKey!.Reveal());
        Assert.Equal(key, crowdsec.BouncerKey.File);
        Assert.Equal("s3cret", crowdsec.MachinePassword!.Reveal());
        Assert.True(crowdsec.WatcherEnabled);
    }

    [Fact]
    public void A_crowdsec_credentials_file_gives_login_password_and_url()
    {
        var file = Write("local_api_credentials.yaml", "url: http://192.0.2.10:8080\nlogin: hostB\npassword: 'p4ss w0rd'\n");

        var crowdsec = Parse(Tarpit + $"[crowdsec]\ncredentials_file = \"{file}\"\n").Crowdsec!;

        Assert.Equal("hostB", crowdsec.MachineLogin);
        Assert.Equal("p4ss w0rd", crowdsec.MachinePassword!.Reveal());
        Assert.Equal(new Uri("http://192.0.2.10:8080/"), crowdsec.LapiUrl);
        Assert.Equal(file, crowdsec.CredentialsFile);
    }

    [Fact]
    public void Lapi_url_wins_over_the_credentials_files_url()
    {
        var file = Write("creds.yaml", "url: http://192.0.2.10:8080/\nlogin: hostB\npassword: pw\n");

        var crowdsec = Parse(Tarpit + $"[crowdsec]\nlapi_url = \"http://127.0.0.1:9090/\"\ncredentials_file = \"{file}\"\n").Crowdsec!;

        Assert.Equal(new Uri("http://127.0.0.1:9090/"), crowdsec.LapiUrl);
    }

    [Fact]
    public void A_bad_url_is_reported_at_its_value()
    {
        var error = ConfigErrors.Single(Tarpit + "[crowdsec]\nlapi_url = \"ftp://lapi:8080/\"\n");

        Assert.StartsWith("tarpit.toml:6:12: error: 'lapi_url' \"ftp://lapi:8080/\" is not a LAPI address", error);
    }

    [Fact]
    public void A_url_with_a_password_is_refused()
    {
        var error = ConfigErrors.Single(Tarpit + "[crowdsec]\nlapi_url = \"http://u:p@127.0.0.1:8080/\"\n");

        Assert.StartsWith("tarpit.toml:6:12: error: 'lapi_url'", error);
    }

    [Fact]
    public void Key_and_key_file_together_are_an_error()
    {
        var file = Write("k", "abc\n");

        var error = ConfigErrors.Single(Tarpit + $"[crowdsec]\nbouncer_key = \"abc\"\nbouncer_key_file = \"{file}\"\n");

        Assert.StartsWith("tarpit.toml:7:20: error: 'bouncer_key' and 'bouncer_key_file' are both set", error);
    }

    [Fact]
    public void A_missing_key_file_is_reported_without_content()
    {
        var error = ConfigErrors.Single(Tarpit + $"[crowdsec]\nbouncer_key_file = \"{Path.Combine(_dir, "absent")}\"\n");

        Assert.StartsWith("tarpit.toml:6:20: error: 'bouncer_key_file'", error);
        Assert.EndsWith("does not exist", error);
    }

    [Fact]
    public void An_empty_key_file_is_an_error()
    {
        var file = Write("empty", "\n\n");

        var error = ConfigErrors.Single(Tarpit + $"[crowdsec]\nbouncer_key_file = \"{file}\"\n");

        Assert.Contains("is empty", error);
    }

    [Fact]
    public void A_key_file_of_two_lines_is_an_error_that_never_shows_them()
    {
        var file = Write("two", "first-hidden\nsecond-hidden\n");

        var error = ConfigErrors.Single(Tarpit + $"[crowdsec]\nbouncer_key_file = \"{file}\"\n");

        Assert.Contains("more than one word or line", error);
        Assert.DoesNotContain("hidden", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_login_without_password_is_an_error()
    {
        var error = ConfigErrors.Single(Tarpit + "[crowdsec]\nmachine_login = \"hostA\"\n");

        Assert.StartsWith("tarpit.toml:6:17: error: 'machine_login' needs 'machine_password'", error);
    }

    [Fact]
    public void A_password_without_login_is_an_error()
    {
        var error = ConfigErrors.Single(Tarpit + "[crowdsec]\nmachine_password = \"pw\"\n");

        Assert.StartsWith("tarpit.toml:6:1: error: a machine password without 'machine_login'", error);
    }

    [Fact]
    public void Credentials_file_beside_a_login_is_an_error()
    {
        var file = Write("c.yaml", "login: a\npassword: b\n");

        var error = ConfigErrors.Single(Tarpit + $"[crowdsec]\nmachine_login = \"a\"\nmachine_password = \"b\"\ncredentials_file = \"{file}\"\n");

        Assert.StartsWith("tarpit.toml:8:20: error: 'credentials_file' and 'machine_login'", error);
    }

    [Fact]
    public void A_credentials_file_without_password_is_an_error()
    {
        var file = Write("c.yaml", "url: http://127.0.0.1:8080/\nlogin: a\n");

        var error = ConfigErrors.Single(Tarpit + $"[crowdsec]\ncredentials_file = \"{file}\"\n");

        Assert.Contains("has no 'login:' and 'password:' lines", error);
    }

    [Fact]
    public void A_pull_interval_below_the_minimum_is_out_of_range()
    {
        var error = ConfigErrors.Single(Tarpit + "[crowdsec]\npull_interval = \"10ms\"\n");

        Assert.StartsWith("tarpit.toml:6:17: error: 'pull_interval' is out of range: found 10ms, allowed 100ms-1h", error);
    }

    [Theory]
    [InlineData("500ms", "found 500ms, allowed 1s-1d")]
    [InlineData("25h", "found string \"25h\", allowed 1ms-1d")]
    public void A_resync_interval_outside_its_range_is_reported_at_the_value(string value, string found)
    {
        var error = ConfigErrors.Single(Tarpit + $"[crowdsec]\nresync_interval = \"{value}\"\n");

        Assert.Equal($"tarpit.toml:6:19: error: 'resync_interval' is out of range: {found}", error);
    }

    [Fact]
    public void A_bad_filter_entry_is_reported_at_the_entry()
    {
        var error = ConfigErrors.Single(Tarpit + "[crowdsec]\norigins = [\"cscli\", 7]\n");

        Assert.StartsWith("tarpit.toml:6:21: error: invalid 'origins' entry: found", error);
    }

    [Fact]
    public void An_unknown_key_gets_a_suggestion()
    {
        var error = ConfigErrors.Single(Tarpit + "[crowdsec]\nbouncer_keys = \"x\"\n");

        Assert.Equal("tarpit.toml:6:1: error: unknown key 'bouncer_keys' in [crowdsec]; did you mean 'bouncer_key'?", error);
    }

    [Fact]
    public void Check_output_and_records_never_show_a_secret()
    {
        var key = Write("bouncer.key", "file-secret-value\n");
        var config = Parse(Tarpit + $"""
            [crowdsec]
            bouncer_key_file = "{key}"
            machine_login = "hostA"
            machine_password = "inline-secret-value"
            """);

        var printed = ConfigPrinter.Render(config);

        Assert.DoesNotContain("secret-value", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", config.Crowdsec!.ToString(), StringComparison.Ordinal);
        Assert.Contains($"bouncer_key_file = \"{key}\"", printed, StringComparison.Ordinal);
        Assert.Contains("# machine_password is set in the file; not shown", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reload_keeps_the_running_crowdsec_table_and_says_it_needs_a_restart()
    {
        var running = Parse(Tarpit + "[crowdsec]\nbouncer_key = \"a\"\n");
        var file = Parse(Tarpit + "[crowdsec]\nbouncer_key = \"b\"\n");

        var changes = ConfigChanges.Between(running, file);

        Assert.Equal("a", changes.Effective.Crowdsec!.BouncerKey!.Reveal());
        Assert.Contains("[crowdsec] changed", changes.NeedRestart);
    }
}
