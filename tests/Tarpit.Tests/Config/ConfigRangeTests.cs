using System.Text.RegularExpressions;
using Tarpit.Config;

namespace Tarpit.Tests.Config;

/// <summary>Every duration, size and integer in the config is range-checked: a bad value is a diagnostic, never an exception.</summary>
public sealed partial class ConfigRangeTests
{
    private const string Http = "[[tarpit]]\nname = \"h\"\nprotocol = \"http\"\nlisten = [\"[::]:8080\"]\n";
    private const string Ssh = "[[tarpit]]\nname = \"s\"\nprotocol = \"ssh\"\nlisten = [\"[::]:2222\"]\n";
    private const string Watch = "[[watch]]\nname = \"w\"\njournal_unit = \"ssh.service\"\n";

    private static readonly string[] DurationUnits = ["", "ms", "s", "m", "h", "d", "w", "1h", "x"];
    private static readonly string[] SizeUnits = ["", "B", "KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB", "b"];

    [Fact]
    public void A_ban_time_too_long_for_a_TimeSpan_is_a_diagnostic_with_its_position_not_an_exception()
    {
        var error = ConfigErrors.Single("[firewall]\nban_time = \"10000000w\"\n");

        Assert.StartsWith("tarpit.toml:2:12: error: 'ban_time' is not a valid duration: found string \"10000000w\"", error, StringComparison.Ordinal);
        Assert.EndsWith("(at most 3650d)", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"3650d\"")]
    [InlineData("\"521w3d\"")]
    [InlineData("315360000")]
    [InlineData("\"315360000000ms\"")]
    public void The_longest_duration_is_accepted(string value)
    {
        var config = ConfigLoader.Parse($"[firewall]\nban_time = {value}\nmax_ban_time = \"3650d\"\n", ConfigErrors.File);

        Assert.Equal(DurationSyntax.Max, config.Firewall.BanTime);
    }

    [Theory]
    [InlineData("\"3651d\"")]
    [InlineData("\"3650d1ms\"")]
    [InlineData("\"3650d1s\"")]
    [InlineData("\"522w\"")]
    [InlineData("315360001")]
    [InlineData("\"315360000001ms\"")]
    [InlineData("\"99999999999999999999s\"")]
    [InlineData("\"999999999999w\"")]
    [InlineData("\"9223372036854775807ms\"")]
    public void One_unit_beyond_the_longest_duration_or_a_huge_number_is_an_error_at_the_value(string value)
    {
        var error = ConfigErrors.Single($"[firewall]\nmax_ban_time = {value}\n");

        Assert.StartsWith("tarpit.toml:2:16: error: 'max_ban_time' is not a valid duration", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1", "tarpit.toml:2:12: error: 'ban_time' must be longer than zero")]
    [InlineData("\"-5s\"", "tarpit.toml:2:12: error: 'ban_time' must be longer than zero")]
    [InlineData("0", "tarpit.toml:2:12: error: 'ban_time' must be longer than zero")]
    [InlineData("\"0s\"", "tarpit.toml:2:12: error: 'ban_time' must be longer than zero")]
    [InlineData("-9223372036854775808", "tarpit.toml:2:12: error: 'ban_time' must be longer than zero")]
    [InlineData("99999999999999999999", "tarpit.toml:2:12: error: TOML syntax:")]
    public void Negative_zero_and_unrepresentable_durations_are_errors_at_the_value(string value, string expected)
    {
        var error = ConfigErrors.Of($"[firewall]\nban_time = {value}\n")[0];

        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("probe_delay")]
    [InlineData("interval")]
    public void A_step_delay_may_be_a_day_and_no_more_since_the_scheduler_cannot_sleep_longer(string key)
    {
        var config = ConfigLoader.Parse(Ssh + $"{key} = \"1d\"\nmax_hold = \"2d\"\n", ConfigErrors.File);
        Assert.Equal(TarpitSection.MaxStepDelay, key == "interval" ? config.Tarpits[0].Interval : config.Tarpits[0].ProbeDelay);

        var error = ConfigErrors.Single(Ssh + $"{key} = \"1d1ms\"\nmax_hold = \"2d\"\n");

        Assert.Equal($"tarpit.toml:5:{key.Length + 4}: error: '{key}' is out of range: found string \"1d1ms\", allowed 1ms-1d", error);
    }

    [Fact]
    public void The_largest_bomb_is_accepted_and_one_byte_more_is_an_error_at_the_value()
    {
        var config = ConfigLoader.Parse(Http + "bomb_size = \"16GiB\"\n", ConfigErrors.File);
        Assert.Equal(TarpitSection.MaxBombSize, config.Tarpits[0].Http!.BombSize);

        var error = ConfigErrors.Single(Http + $"bomb_size = {TarpitSection.MaxBombSize + 1}\n");

        Assert.Equal("tarpit.toml:5:13: error: 'bomb_size' is out of range: found integer 17179869185, allowed 1MiB-16GiB", error);
    }

    [Theory]
    [InlineData("content_length = \"1TiB\"", null)]
    [InlineData("content_length = 1099511627777", "tarpit.toml:5:18: error: 'content_length' is out of range")]
    [InlineData("content_length = \"9999999999999TiB\"", "tarpit.toml:5:18: error: 'content_length' is not a valid size")]
    [InlineData("content_length = \"99999999999999999999\"", "tarpit.toml:5:18: error: 'content_length' is not a valid size")]
    [InlineData("content_length = -1", "tarpit.toml:5:18: error: 'content_length' is out of range")]
    [InlineData("content_length = \"-1KiB\"", "tarpit.toml:5:18: error: 'content_length' is not a valid size")]
    public void Sizes_are_checked_at_their_bounds(string line, string? expected)
    {
        if (expected is null)
        {
            Assert.Equal(SizeSyntax.Max, ConfigLoader.Parse(Http + line + "\n", ConfigErrors.File).Tarpits[0].Http!.ContentLength);
            return;
        }

        Assert.StartsWith(expected, ConfigErrors.Single(Http + line + "\n"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Ssh, "max_clients", "1000000", "1000001")]
    [InlineData(Ssh, "max_clients_per_ip", "8192", "8193")]
    [InlineData(Ssh, "drip_bytes", "1024", "1025")]
    [InlineData(Watch, "max_retry", "1000", "1001")]
    public void Integers_take_their_maximum_and_refuse_one_more_a_huge_one_zero_and_a_negative_one(string table, string key, string max, string beyond)
    {
        ConfigLoader.Parse(table + $"{key} = {max}\n", ConfigErrors.File);
        var row = table == Watch ? 4 : 5;
        foreach (var value in new[] { beyond, "9223372036854775807", "0", "-1", "-9223372036854775808" })
        {
            var error = ConfigErrors.Single(table + $"{key} = {value}\n");

            Assert.Equal($"tarpit.toml:{row}:{key.Length + 4}: error: '{key}' is out of range: found {value}, allowed 1-{max}", error);
        }
    }

    [Theory]
    [InlineData("\"[::]:65535\"", null)]
    [InlineData("\"[::]:65536\"", "tarpit.toml:4:11: error: port 65536 in listen address")]
    [InlineData("\"[::]:0\"", "tarpit.toml:4:11: error: port 0 in listen address")]
    [InlineData("\"[::]:99999999999999999999\"", "tarpit.toml:4:11: error: listen address \"[::]:99999999999999999999\" has an invalid port")]
    [InlineData("\"[::]:-1\"", "tarpit.toml:4:11: error: listen address \"[::]:-1\" has an invalid port")]
    public void Listen_ports_are_checked_at_their_bounds(string value, string? expected)
    {
        var toml = $"[[tarpit]]\nname = \"s\"\nprotocol = \"ssh\"\nlisten = [{value}]\n";
        if (expected is null)
        {
            Assert.Equal(65535, ConfigLoader.Parse(toml, ConfigErrors.File).Tarpits[0].Listen[0].Port);
            return;
        }

        Assert.StartsWith(expected, ConfigErrors.Single(toml), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("65535", null)]
    [InlineData("65536", "tarpit.toml:5:19: error: redirect port 65536 is out of range")]
    [InlineData("0", "tarpit.toml:5:19: error: redirect port 0 is out of range")]
    [InlineData("-9223372036854775808", "tarpit.toml:5:19: error: redirect port -9223372036854775808 is out of range")]
    public void Redirect_ports_are_checked_at_their_bounds(string value, string? expected)
    {
        var toml = Ssh + $"redirect_ports = [{value}]\n";
        if (expected is null)
        {
            Assert.Equal([65535], ConfigLoader.Parse(toml, ConfigErrors.File).Tarpits[0].RedirectPorts);
            return;
        }

        Assert.StartsWith(expected, ConfigErrors.Single(toml), StringComparison.Ordinal);
    }

    [Fact]
    public void Random_digit_strings_in_every_unit_in_every_duration_and_size_key_are_a_value_or_a_diagnostic()
    {
        var random = new Random(20240614);
        var keys = new (string Table, string Key, string[] Units)[]
        {
            ("[firewall]\n", "ban_time", DurationUnits),
            ("[firewall]\n", "max_ban_time", DurationUnits),
            (Ssh, "probe_delay", DurationUnits),
            (Ssh, "interval", DurationUnits),
            (Ssh, "max_hold", DurationUnits),
            (Watch, "find_time", DurationUnits),
            (Http, "content_length", SizeUnits),
            (Http, "bomb_size", SizeUnits),
        };
        for (var run = 0; run < 4000; run++)
        {
            var (table, key, units) = keys[random.Next(keys.Length)];
            var digits = new string([.. Enumerable.Range(0, random.Next(1, 26)).Select(_ => (char)('0' + random.Next(10)))]);
            var text = (random.Next(8) == 0 ? "-" : "") + digits + units[random.Next(units.Length)];
            var value = random.Next(3) == 0 && units == DurationUnits ? digits : $"\"{text}\"";
            var toml = table + $"{key} = {value}\n";

            try
            {
                ConfigLoader.Parse(toml, ConfigErrors.File);
            }
            catch (ConfigException ex)
            {
                Assert.All(ex.Diagnostics, d => Assert.Matches(DiagnosticLine(), d.ToString()));
            }
        }
    }

    [GeneratedRegex(@"^tarpit\.toml:\d+:\d+: error: \S")]
    private static partial Regex DiagnosticLine();
}
