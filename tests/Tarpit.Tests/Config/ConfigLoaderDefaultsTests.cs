using System.Net;
using Serilog.Events;
using Tarpit.Config;

namespace Tarpit.Tests.Config;

public sealed class ConfigLoaderDefaultsTests
{
    [Fact]
    public void An_empty_file_gives_every_default_and_no_tarpits_or_watches()
    {
        var config = ConfigLoader.Parse(string.Empty, ConfigErrors.File);

        var dir = Path.GetDirectoryName(Path.GetFullPath(ConfigErrors.File))!;
        Assert.Equal(AgentConfig.Defaults(dir), config.Agent);
        Assert.Equal(FirewallConfig.Defaults, config.Firewall);
        Assert.Equal(GeoIpConfig.Off, config.GeoIp);
        Assert.Empty(config.Tarpits);
        Assert.Empty(config.Watches);
    }

    [Fact]
    public void Tarpit_defaults_follow_the_protocol()
    {
        var config = ConfigLoader.Parse(
            """
            [[tarpit]]
            name = "s"
            protocol = "ssh"
            listen = ["0.0.0.0:2222"]
            [[tarpit]]
            name = "h"
            protocol = "http"
            listen = ["0.0.0.0:8080"]
            [[tarpit]]
            name = "t"
            protocol = "tls"
            listen = ["0.0.0.0:8443"]
            """,
            ConfigErrors.File);

        var (ssh, http, tls) = (config.Tarpits[0], config.Tarpits[1], config.Tarpits[2]);
        Assert.Equal(new TarpitConfig(
            "s", TarpitProtocol.Ssh, "kex-hold", [new IPEndPoint(IPAddress.Any, 2222)], [22], false, true,
            TimeSpan.FromMilliseconds(200), "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10", TimeSpan.FromSeconds(10), 0.5, 4,
            TimeSpan.FromHours(24), 8192, 16, null)
        { MaxClientsPerV6Prefix = 64, SshHostKeys = new SshHostKeysConfig("auto", "/etc/ssh") }, ssh);
        Assert.Equal((TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3)), (http.ProbeDelay, tls.ProbeDelay));
        Assert.Equal(("endless-header", "nginx/1.22.1", 80), (http.Mode, http.Banner, http.RedirectPorts.Single()));
        Assert.Equal(new HttpTarpitOptions(256 * 1024, 1L << 30, "Restricted"), http.Http);
        Assert.Equal((null, null), (http.SshHostKeys, tls.SshHostKeys));
        Assert.Equal(("endless-hello-request", (string?)null, 443, (HttpTarpitOptions?)null), (tls.Mode, tls.Banner, tls.RedirectPorts.Single(), tls.Http));
    }

    [Fact]
    public void Watch_defaults_are_the_sshd_filter_five_retries_in_ten_minutes()
    {
        var config = ConfigLoader.Parse("[[watch]]\nname = \"w\"\njournal_unit = \"ssh.service\"\n", ConfigErrors.File);

        Assert.Equal(new WatchConfig("w", "sshd", null, null, "ssh.service", 5, TimeSpan.FromMinutes(10)), config.Watches.Single());
    }

    [Fact]
    public void Relative_paths_resolve_against_the_folder_of_the_config_file()
    {
        var dir = Directory.CreateTempSubdirectory("tarpit-config-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "my.filter"), "filter");
            File.WriteAllText(Path.Combine(dir.FullName, "city.mmdb"), "db");
            var path = Path.Combine(dir.FullName, "etc", "..", "tarpit.toml");

            var config = ConfigLoader.Parse(
                """
                [agent]
                state_dir = "var/state"
                log_file = "../log/events.jsonl"
                [[watch]]
                name = "w"
                filter = "my.filter"
                path = "logs/auth.log"
                [geoip]
                city_db = "city.mmdb"
                asn_db = ""
                """,
                path);

            Assert.Equal(Path.Combine(dir.FullName, "var", "state"), config.Agent.StateDir);
            Assert.Equal(Path.Combine(dir.Parent!.FullName, "log", "events.jsonl"), config.Agent.LogFile);
            Assert.Equal(Path.Combine(dir.FullName, "my.filter"), config.Watches.Single().Filter);
            Assert.Equal(Path.Combine(dir.FullName, "logs", "auth.log"), config.Watches.Single().Path);
            Assert.Equal(Path.Combine(dir.FullName, "city.mmdb"), config.GeoIp.CityDb);
            Assert.Null(config.GeoIp.AsnDb);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Empty_log_file_turns_the_event_log_off()
    {
        var config = ConfigLoader.Parse("[agent]\nlog_file = \"\"\nlog_level = \"debug\"\n", ConfigErrors.File);

        Assert.Null(config.Agent.LogFile);
        Assert.Equal(LogEventLevel.Debug, config.Agent.LogLevel);
    }

    [Fact]
    public void Durations_sizes_and_numbers_accept_their_documented_spellings()
    {
        var config = ConfigLoader.Parse(
            """
            [firewall]
            ban_time = 90
            ban_time_factor = 3
            max_ban_time = "1w"
            allow = ["192.0.2.7", "2001:db8::/32"]
            [[tarpit]]
            name = "h"
            protocol = "http"
            mode = "drip"
            listen = ["[::1]:8080"]
            content_length = 4096
            bomb_size = "10MB"
            """,
            ConfigErrors.File);

        Assert.Equal(TimeSpan.FromSeconds(90), config.Firewall.BanTime);
        Assert.Equal(3.0, config.Firewall.BanTimeFactor);
        Assert.Equal(TimeSpan.FromDays(7), config.Firewall.MaxBanTime);
        Assert.Equal([IPNetwork.Parse("192.0.2.7/32"), IPNetwork.Parse("2001:db8::/32")], config.Firewall.Allow);
        Assert.Equal(new HttpTarpitOptions(4096, 10_000_000, "Restricted"), config.Tarpits.Single().Http);
    }

    [Fact]
    public void A_missing_file_is_a_config_error_at_line_1_column_1()
    {
        var path = Path.Combine("no-such-folder", "tarpit.toml");

        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path));

        Assert.Equal(
            $"{path}:1:1: error: cannot read the config file (the file does not exist); create it (the repository's tarpit.toml is a commented example) or pass --config FILE",
            Assert.Single(exception.Diagnostics).ToString());
    }

    [Fact]
    public void A_folder_given_as_the_config_is_a_config_error()
    {
        var dir = Directory.CreateTempSubdirectory("tarpit-config-");
        try
        {
            var exception = Assert.Throws<ConfigException>(() => ConfigLoader.Load(dir.FullName));

            Assert.Equal(
                $"{dir.FullName}:1:1: error: this is a folder, not a config file; pass the path of tarpit.toml with --config FILE",
                Assert.Single(exception.Diagnostics).ToString());
        }
        finally
        {
            dir.Delete();
        }
    }

    [Fact]
    public void Diagnostics_name_the_file_as_the_user_gave_it()
    {
        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("[agent]\nx = 1\n", "./conf/../my.toml"));

        Assert.StartsWith("./conf/../my.toml:2:1: error: ", exception.Diagnostics.Single().ToString(), StringComparison.Ordinal);
    }
}
