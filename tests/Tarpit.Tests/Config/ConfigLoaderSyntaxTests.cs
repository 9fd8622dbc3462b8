namespace Tarpit.Tests.Config;

public sealed class ConfigLoaderSyntaxTests
{
    [Fact]
    public void Toml_syntax_error_is_reported_with_file_line_and_column()
    {
        var error = ConfigErrors.Of("[agent]\nlog_level = \"debug\n");

        Assert.Equal("tarpit.toml:2:19: error: TOML syntax: Invalid newline in a string", error[0]);
    }

    [Fact]
    public void Unknown_key_is_reported_with_file_line_and_column_and_a_suggestion()
    {
        var error = ConfigErrors.Single("[agent]\nstate_dri = \"state\"\n");

        Assert.Equal("tarpit.toml:2:1: error: unknown key 'state_dri' in [agent]; did you mean 'state_dir'?", error);
    }

    [Fact]
    public void Unknown_key_far_from_any_allowed_one_lists_the_allowed_keys()
    {
        var error = ConfigErrors.Single("[agent]\n  colour = \"blue\"\n");

        Assert.Equal("tarpit.toml:2:3: error: unknown key 'colour' in [agent]; allowed keys: state_dir, log_file, log_level, sessions_retention, bans_retention", error);
    }

    [Fact]
    public void Unknown_table_is_reported_with_a_suggestion()
    {
        var error = ConfigErrors.Single("[firewal]\nenabled = true\n");

        Assert.Equal("tarpit.toml:1:2: error: unknown table [firewal]; did you mean [firewall]?", error);
    }

    [Fact]
    public void Unknown_array_of_tables_lists_the_allowed_tables()
    {
        var error = ConfigErrors.Single("\n[[listener]]\nname = \"x\"\n");

        Assert.Equal("tarpit.toml:2:3: error: unknown table [[listener]]; allowed tables: [agent], [firewall], [[tarpit]], [[watch]], [geoip], [metrics], [abuseipdb], [crowdsec]", error);
    }

    [Fact]
    public void Sub_table_of_a_known_table_is_reported()
    {
        var error = ConfigErrors.Single("[agent.paths]\nstate_dir = \"s\"\n");

        Assert.Equal("tarpit.toml:1:2: error: unknown table [agent.paths]: [agent] has no sub-tables; put its keys directly under [agent]", error);
    }

    [Fact]
    public void Tarpit_written_as_a_single_table_is_told_to_use_double_brackets()
    {
        var error = ConfigErrors.Single("[tarpit]\nname = \"x\"\n");

        Assert.Equal("tarpit.toml:1:1: error: [tarpit] can appear several times; write [[tarpit]] (one per tarpit)", error);
    }

    [Fact]
    public void Key_outside_any_table_is_reported()
    {
        var error = ConfigErrors.Single("ban_time = \"1h\"\n");

        Assert.Equal("tarpit.toml:1:1: error: key 'ban_time' is outside any table; every key belongs under one of [agent], [firewall], [[tarpit]], [[watch]], [geoip], [metrics], [abuseipdb], [crowdsec]", error);
    }

    [Fact]
    public void Inline_table_in_place_of_a_section_is_told_to_use_a_header()
    {
        var error = ConfigErrors.Single("tarpit = [{ name = \"x\" }]\n");

        Assert.Equal("tarpit.toml:1:1: error: 'tarpit' must be written as a table: a [[tarpit]] header with its keys on the lines below", error);
    }

    [Fact]
    public void Duplicate_key_is_reported_at_the_second_one()
    {
        var error = ConfigErrors.Single("[firewall]\nenabled = true\nenabled = false\n");

        Assert.Equal("tarpit.toml:3:1: error: duplicate key 'enabled' in [firewall]: it is already set on line 2; keep one of them", error);
    }

    [Fact]
    public void Duplicate_table_is_reported_at_the_second_header()
    {
        var error = ConfigErrors.Single("[agent]\n[firewall]\n[agent]\n");

        Assert.Equal("tarpit.toml:3:1: error: duplicate table [agent]: it is already defined on line 1; merge the two", error);
    }

    [Theory]
    [InlineData("[firewall]\nenabled = \"yes\"\n", "tarpit.toml:2:11: error: 'enabled' has the wrong type: found string \"yes\", expected a boolean (true or false)")]
    [InlineData("[firewall]\nnft = 5\n", "tarpit.toml:2:7: error: 'nft' has the wrong type: found integer 5, expected a string")]
    [InlineData("[firewall]\nallow = \"127.0.0.1\"\n", "tarpit.toml:2:9: error: 'allow' has the wrong type: found string \"127.0.0.1\", expected an array")]
    [InlineData("[firewall]\nban_time_factor = \"2\"\n", "tarpit.toml:2:19: error: 'ban_time_factor' has the wrong type: found string \"2\", expected a number (1.0-1000.0)")]
    [InlineData("[firewall]\nban_time = true\n", "tarpit.toml:2:12: error: 'ban_time' has the wrong type: found boolean true, expected a duration like 250ms, 90s, 10m, 1h30m, 7d (units: ms s m h d w), or whole seconds")]
    [InlineData("[[watch]]\nname = \"w\"\njournal_unit = \"ssh.service\"\nmax_retry = 2.5\n", "tarpit.toml:4:13: error: 'max_retry' has the wrong type: found float 2.5, expected an integer (1-1000)")]
    [InlineData("[agent]\nstate_dir = [\"a\"]\n", "tarpit.toml:2:13: error: 'state_dir' has the wrong type: found an array, expected a string")]
    [InlineData("[agent]\nlog_file = { path = \"x\" }\n", "tarpit.toml:2:12: error: 'log_file' has the wrong type: found an inline table, expected a string")]
    public void Wrong_type_says_what_was_found_and_what_is_expected(string toml, string expected)
    {
        Assert.Equal(expected, ConfigErrors.Single(toml));
    }

    [Theory]
    [InlineData("ban_time = \"0s\"", "tarpit.toml:2:12: error: 'ban_time' must be longer than zero: found string \"0s\", expected a positive duration like \"10s\" or \"1h\"")]
    [InlineData("ban_time = 0", "tarpit.toml:2:12: error: 'ban_time' must be longer than zero: found integer 0, expected a positive duration like \"10s\" or \"1h\"")]
    [InlineData("ban_time = -5", "tarpit.toml:2:12: error: 'ban_time' must be longer than zero: found integer -5, expected a positive duration like \"10s\" or \"1h\"")]
    [InlineData("ban_time = \"-1h\"", "tarpit.toml:2:12: error: 'ban_time' must be longer than zero: found string \"-1h\", expected a positive duration like \"10s\" or \"1h\"")]
    [InlineData("ban_time = \"1 hour\"", "tarpit.toml:2:12: error: 'ban_time' is not a valid duration: found string \"1 hour\", expected a duration like 250ms, 90s, 10m, 1h30m, 7d (units: ms s m h d w), or whole seconds (at most 3650d)")]
    public void Zero_negative_or_malformed_durations_are_reported(string line, string expected)
    {
        Assert.Equal(expected, ConfigErrors.Single($"[firewall]\n{line}\n"));
    }

    [Fact]
    public void Max_ban_time_shorter_than_ban_time_is_reported()
    {
        var error = ConfigErrors.Single("[firewall]\nban_time = \"2d\"\nmax_ban_time = \"1d\"\n");

        Assert.Equal("tarpit.toml:3:16: error: 'max_ban_time' (1d) is shorter than 'ban_time' (2d); it must be at least as long", error);
    }

    [Theory]
    [InlineData("\"10.0.0.1/8\"", "tarpit.toml:2:10: error: invalid 'allow' entry: \"10.0.0.1/8\" has host bits set after the /8 prefix; did you mean \"10.0.0.0/8\" (the network) or \"10.0.0.1\" (one address)?")]
    [InlineData("\"10.0.0.0/33\"", "tarpit.toml:2:10: error: invalid 'allow' entry: \"10.0.0.0/33\" has an invalid prefix length; allowed /0-/32 for this address family")]
    [InlineData("\"example.org\"", "tarpit.toml:2:10: error: invalid 'allow' entry: \"example.org\" is not an IP address or network; expected an address like \"192.0.2.7\" or \"2001:db8::7\", or a network like \"192.0.2.0/24\" or \"2001:db8::/32\"")]
    [InlineData("\"10.1\"", "tarpit.toml:2:10: error: invalid 'allow' entry: \"10.1\" is not an IP address or network; expected an address like \"192.0.2.7\" or \"2001:db8::7\", or a network like \"192.0.2.0/24\" or \"2001:db8::/32\"")]
    [InlineData("\"2001:db8::1/32\"", "tarpit.toml:2:10: error: invalid 'allow' entry: \"2001:db8::1/32\" has host bits set after the /32 prefix; did you mean \"2001:db8::/32\" (the network) or \"2001:db8::1\" (one address)?")]
    public void Bad_allowlist_entries_are_reported(string entry, string expected)
    {
        Assert.Equal(expected, ConfigErrors.Single($"[firewall]\nallow = [{entry}]\n"));
    }

    [Fact]
    public void Unknown_log_level_lists_the_allowed_ones()
    {
        var error = ConfigErrors.Single("[agent]\nlog_level = \"info\"\n");

        Assert.Equal("tarpit.toml:2:13: error: unknown log_level \"info\"; allowed: verbose, debug, information, warning, error, fatal", error);
    }

    [Fact]
    public void Bad_nft_table_name_is_reported()
    {
        var error = ConfigErrors.Single("[firewall]\ntable = \"my-table\"\n");

        Assert.Equal("tarpit.toml:2:9: error: 'table' is not a valid nft table name: found \"my-table\", expected a letter then up to 31 letters, digits or '_' ([A-Za-z][A-Za-z0-9_]{0,31})", error);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_in_file_order()
    {
        var errors = ConfigErrors.Of(
            """
            [agent]
            log_levle = "debug"
            [firewall]
            ban_time = "0s"
            allow = ["10.0.0.1/8"]
            [[tarpit]]
            protocol = "ssh"
            listen = ["[::]:70000"]
            """);

        Assert.Equal(
            [
                "tarpit.toml:2:1: error: unknown key 'log_levle' in [agent]; did you mean 'log_level'?",
                "tarpit.toml:4:12: error: 'ban_time' must be longer than zero: found string \"0s\", expected a positive duration like \"10s\" or \"1h\"",
                "tarpit.toml:5:10: error: invalid 'allow' entry: \"10.0.0.1/8\" has host bits set after the /8 prefix; did you mean \"10.0.0.0/8\" (the network) or \"10.0.0.1\" (one address)?",
                "tarpit.toml:6:1: error: [[tarpit]] is missing the required key 'name'; add it, e.g. name = \"tarpit\"",
                "tarpit.toml:8:11: error: port 70000 in listen address \"[::]:70000\" is out of range; allowed 1-65535",
            ],
            errors);
    }
}
