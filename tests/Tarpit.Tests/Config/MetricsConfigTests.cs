using System.Net;
using Tarpit.Config;

namespace Tarpit.Tests.Config;

/// <summary>Issue 18, section 1: <c>[metrics] listen</c>, its errors in the house format, and what a reload does with it.</summary>
public sealed class MetricsConfigTests
{
    private const string Tarpit = """
        [[tarpit]]
        name = "ssh"
        protocol = "ssh"
        listen = ["127.0.0.1:2222"]
        """;

    private static ConfigFile Parse(string toml) => ConfigLoader.Parse(toml, ConfigErrors.File);

    [Fact]
    public void Metrics_are_off_without_the_table()
    {
        var config = Parse(Tarpit);

        Assert.False(config.Metrics.Enabled);
        Assert.Equal(MetricsConfig.Off, config.Metrics);
    }

    [Fact]
    public void A_tcp_listen_address_is_read()
    {
        var config = Parse(Tarpit + "\n[metrics]\nlisten = \"127.0.0.1:9477\"\n");

        Assert.True(config.Metrics.Enabled);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9477), config.Metrics.Endpoint);
        Assert.Null(config.Metrics.SocketPath);
        Assert.Equal("127.0.0.1:9477", config.Metrics.Listen);
    }

    [Fact]
    public void An_absolute_path_is_a_unix_socket()
    {
        var config = Parse(Tarpit + "\n[metrics]\nlisten = \"/run/tarpit/metrics.sock\"\n");

        Assert.Null(config.Metrics.Endpoint);
        Assert.Equal("/run/tarpit/metrics.sock", config.Metrics.SocketPath);
    }

    [Fact]
    public void A_bad_address_is_reported_with_file_line_and_column()
    {
        var error = ConfigErrors.Single(Tarpit + "\n[metrics]\nlisten = \"localhost:9477\"\n");

        Assert.StartsWith("tarpit.toml:6:10: error: listen address \"localhost:9477\" does not start with an IP address", error);
        Assert.Contains("Unix socket path", error);
    }

    [Fact]
    public void A_port_out_of_range_is_reported()
    {
        var error = ConfigErrors.Single(Tarpit + "\n[metrics]\nlisten = \"127.0.0.1:70000\"\n");

        Assert.Contains("tarpit.toml:6:10: error: port 70000", error);
    }

    [Fact]
    public void A_socket_path_longer_than_sun_path_is_reported()
    {
        var path = "/run/" + new string('x', MetricsSection.MaxSocketPathBytes);

        var error = ConfigErrors.Single(Tarpit + $"\n[metrics]\nlisten = \"{path}\"\n");

        Assert.Contains($"at most {MetricsSection.MaxSocketPathBytes} bytes", error);
    }

    [Fact]
    public void A_table_without_listen_is_reported_at_its_header()
    {
        var error = ConfigErrors.Single(Tarpit + "\n[metrics]\n");

        Assert.Equal("tarpit.toml:5:1: error: [metrics] is missing the required key 'listen'; add it, e.g. listen = \"127.0.0.1:9477\"", error);
    }

    [Fact]
    public void An_empty_listen_and_an_unknown_key_are_both_reported()
    {
        var errors = ConfigErrors.Of(Tarpit + "\n[metrics]\nlisten = \"\"\nlistn = 1\n");

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("tarpit.toml:7:1: error: unknown key 'listn' in [metrics]; did you mean 'listen'?", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("tarpit.toml:6:10: error: 'listen' is empty", StringComparison.Ordinal));
    }

    [Fact]
    public void A_listen_that_is_not_a_string_is_reported_once()
    {
        var error = ConfigErrors.Single(Tarpit + "\n[metrics]\nlisten = 9477\n");

        Assert.StartsWith("tarpit.toml:6:10: error:", error);
    }

    [Fact]
    public void The_effective_config_prints_metrics_and_reads_back_the_same()
    {
        var config = Parse(Tarpit + "\n[metrics]\nlisten = \"[::1]:9477\"\n");

        var printed = ConfigPrinter.Render(config);

        Assert.Contains("[metrics]\nlisten = \"[::1]:9477\"\n", printed);
        Assert.Equal(config.Metrics, ConfigLoader.Parse(printed, ConfigErrors.File).Metrics);
    }

    [Fact]
    public void A_reload_keeps_the_running_listen_and_says_it_needs_a_restart()
    {
        var running = Parse(Tarpit + "\n[metrics]\nlisten = \"127.0.0.1:9477\"\n");
        var file = Parse(Tarpit + "\n[metrics]\nlisten = \"127.0.0.1:9478\"\n");

        var changes = ConfigChanges.Between(running, file);

        Assert.Equal(["metrics.listen 127.0.0.1:9477 → 127.0.0.1:9478"], changes.NeedRestart);
        Assert.Equal(running.Metrics, changes.Effective.Metrics);
        Assert.True(changes.IsEmpty);
    }

    [Fact]
    public void Turning_metrics_on_by_reload_needs_a_restart_too()
    {
        var changes = ConfigChanges.Between(Parse(Tarpit), Parse(Tarpit + "\n[metrics]\nlisten = \"127.0.0.1:9477\"\n"));

        Assert.Equal(["metrics.listen \"\" → 127.0.0.1:9477"], changes.NeedRestart);
        Assert.False(changes.Effective.Metrics.Enabled);
    }
}
