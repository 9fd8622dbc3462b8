using Tarpit.Config;

namespace Tarpit.Tests.Config;

public sealed class ConfigPrinterTests
{
    private const string Everything =
        """
        [agent]
        state_dir = "/var/lib/tarpit"
        log_file = ""
        log_level = "warning"
        [firewall]
        enabled = false
        nft = "/usr/sbin/nft"
        table = "trap_2"
        ban_time = "1h30m"
        ban_time_factor = 1.5
        max_ban_time = "2w"
        allow = ["10.0.0.0/8", "2001:db8::7", "192.0.2.7/32"]
        keep_on_exit = false
        cut_established = false
        [[tarpit]]
        name = "ssh-kex"
        protocol = "ssh"
        mode = "kex-hold"
        listen = ["127.0.0.1:2222", "[::1]:2222"]
        redirect_ports = [22, 2022]
        decoy = true
        verify_client = false
        probe_delay = "250ms"
        interval = "7s"
        jitter = 0.0
        drip_bytes = 1024
        max_hold = "3h"
        max_clients = 100
        max_clients_per_ip = 100
        banner = "SSH-2.0-dropbear_2022.83 \"quoted\" \\ x"
        host_keys = "auto"
        host_key_dir = "/srv/ssh/"
        [[tarpit]]
        name = "web"
        protocol = "http"
        mode = "gzip-bomb"
        listen = ["[::]:8080"]
        redirect_ports = []
        content_length = 1500
        bomb_size = "10MB"
        realm = "Admin area"
        [[watch]]
        name = "auth"
        filter = "http-probe"
        mode = "aggressive"
        path = "/var/log/nginx/access.log"
        max_retry = 1000
        find_time = 3600
        [[watch]]
        name = "ssh"
        journal_unit = "ssh.service"
        [geoip]
        allow_countries = []
        """;

    [Fact]
    public void Render_then_parse_gives_an_equal_config()
    {
        var config = ConfigLoader.Parse(Everything, ConfigErrors.File);

        var rendered = ConfigPrinter.Render(config);
        var back = ConfigLoader.Parse(rendered, ConfigErrors.File);

        Assert.Equal(config, back);
        Assert.Equal(rendered, ConfigPrinter.Render(back));
    }

    [Fact]
    public void Render_fills_in_every_default_and_writes_absolute_paths()
    {
        var config = ConfigLoader.Parse("[[watch]]\nname = \"w\"\npath = \"auth.log\"\n", ConfigErrors.File);

        var rendered = ConfigPrinter.Render(config);

        var dir = Path.GetDirectoryName(Path.GetFullPath(ConfigErrors.File))!;
        Assert.Contains($"state_dir = \"{Path.Combine(dir, "state")}\"\n", rendered, StringComparison.Ordinal);
        Assert.Contains($"path = \"{Path.Combine(dir, "auth.log")}\"\n", rendered, StringComparison.Ordinal);
        Assert.Contains("ban_time_factor = 2.0\n", rendered, StringComparison.Ordinal);
        Assert.Contains("allow = [\"127.0.0.0/8\", \"::1\"]\n", rendered, StringComparison.Ordinal);
        Assert.Contains("find_time = \"10m\"\n", rendered, StringComparison.Ordinal);
        Assert.Contains("max_retry = 5\n", rendered, StringComparison.Ordinal);
        Assert.Contains("city_db = \"\"\n", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public void Rendered_config_uses_every_key_of_each_table_it_writes()
    {
        var config = ConfigLoader.Parse(Everything, ConfigErrors.File);

        var rendered = ConfigPrinter.Render(config);

        var keys = AgentSection.Keys.Concat(FirewallSection.Keys).Concat(TarpitSection.Keys)
            .Concat(WatchSection.Keys).Concat(GeoIpSection.Keys);
        Assert.All(keys, key => Assert.Contains($"\n{key} = ", rendered, StringComparison.Ordinal));
    }
}
