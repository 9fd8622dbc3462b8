using Tarpit.Config;

namespace Tarpit.Tests.Config;

/// <summary>Issue 13, item 6: what a SIGHUP applies, what it restarts, and what only a restart of the agent changes.</summary>
public sealed class ConfigChangesTests
{
    private const string Base = """
        [agent]
        state_dir = "state"

        [firewall]
        table = "tarpit"
        ban_time = "10m"
        allow = ["127.0.0.0/8", "::1/128"]

        [[tarpit]]
        name = "ssh"
        protocol = "ssh"
        listen = ["[::]:2222"]
        redirect_ports = [22]

        [[tarpit]]
        name = "http"
        protocol = "http"
        listen = ["[::]:8080"]
        redirect_ports = [80]

        [[watch]]
        name = "sshd"
        filter = "sshd"
        journal_unit = "ssh.service"
        max_retry = 3
        """;

    [Fact]
    public void The_same_file_changes_nothing()
    {
        var changes = ConfigChanges.Between(Parse(Base), Parse(Base));

        Assert.True(changes.IsEmpty);
        Assert.Empty(changes.NeedRestart);
        Assert.False(changes.FirewallChanged);
    }

    [Fact]
    public void A_new_allowlist_entry_ban_time_and_listen_address_are_applied_and_described()
    {
        var file = Base
            .Replace("\"::1/128\"]", "\"::1/128\", \"198.51.100.0/24\"]", StringComparison.Ordinal)
            .Replace("ban_time = \"10m\"", "ban_time = \"20m\"", StringComparison.Ordinal)
            .Replace("listen = [\"[::]:2222\"]", "listen = [\"[::]:2222\", \"[::]:2223\"]", StringComparison.Ordinal);

        var changes = ConfigChanges.Between(Parse(Base), Parse(file));

        Assert.Equal(["allowlist 2 → 3 entries", "ban_time 10m → 20m", "tarpit ssh: listen +[::]:2223"], changes.Applied);
        Assert.True(changes.FirewallChanged);
        var ssh = Assert.Single(changes.Tarpits);
        Assert.Equal(("ssh", false), (ssh.Name, ssh.SettingsChanged));
        Assert.Equal(["[::]:2223"], ssh.Bind.Select(ListenSyntax.Format));
        Assert.Empty(ssh.Close);
        Assert.Empty(changes.Watches);
    }

    [Fact]
    public void A_moved_listen_address_restarts_only_that_listener_and_the_redirect_follows()
    {
        var file = Base.Replace("listen = [\"[::]:8080\"]", "listen = [\"[::]:8081\"]", StringComparison.Ordinal);

        var changes = ConfigChanges.Between(Parse(Base), Parse(file));

        var http = Assert.Single(changes.Tarpits);
        Assert.Equal(("http", false), (http.Name, http.SettingsChanged));
        Assert.Equal(["[::]:8081"], http.Bind.Select(ListenSyntax.Format));
        Assert.Equal(["[::]:8080"], http.Close.Select(ListenSyntax.Format));
        Assert.True(changes.FirewallChanged, "the redirect map points port 80 at the tarpit's first listen port");
    }

    [Fact]
    public void New_tarpit_settings_keep_the_sockets_and_give_new_clients_the_new_settings()
    {
        var file = Base.Replace("redirect_ports = [22]", "redirect_ports = [22]\ninterval = \"3s\"", StringComparison.Ordinal);

        var changes = ConfigChanges.Between(Parse(Base), Parse(file));

        var ssh = Assert.Single(changes.Tarpits);
        Assert.True(ssh.SettingsChanged);
        Assert.Empty(ssh.Bind);
        Assert.Empty(ssh.Close);
        Assert.Equal(["tarpit ssh: settings"], changes.Applied);
        Assert.False(changes.FirewallChanged);
    }

    [Fact]
    public void A_changed_max_clients_per_v6_64_is_a_settings_change_that_keeps_the_sockets()
    {
        var file = Base.Replace("redirect_ports = [22]", "redirect_ports = [22]\nmax_clients_per_v6_64 = 20", StringComparison.Ordinal);

        var changes = ConfigChanges.Between(Parse(Base), Parse(file));

        var ssh = Assert.Single(changes.Tarpits);
        Assert.True(ssh.SettingsChanged);
        Assert.Empty(ssh.Bind);
        Assert.Equal(20, ssh.File!.MaxClientsPerV6Prefix);
        Assert.Equal(64, ssh.Running!.MaxClientsPerV6Prefix);
    }

    [Fact]
    public void A_changed_watch_is_restarted_a_new_one_started_a_removed_tarpit_stopped()
    {
        var file = Base.Replace("max_retry = 3", "max_retry = 5", StringComparison.Ordinal)
            .Replace("[[tarpit]]\nname = \"http\"\nprotocol = \"http\"\nlisten = [\"[::]:8080\"]\nredirect_ports = [80]\n", "", StringComparison.Ordinal)
            + "\n\n[[watch]]\nname = \"web\"\nfilter = \"http-probe\"\npath = \"/var/log/nginx/access.log\"\n";

        var changes = ConfigChanges.Between(Parse(Base), Parse(file));

        Assert.Equal(["tarpit http stopped", "watch sshd restarted", "watch web started"], changes.Applied);
        Assert.Equal([("sshd", true, true), ("web", false, true)], changes.Watches.Select(w => (w.Name, w.Running is not null, w.File is not null)));
    }

    [Fact]
    public void Restart_only_settings_keep_their_running_value_and_are_named()
    {
        var file = Base
            .Replace("state_dir = \"state\"", "state_dir = \"elsewhere\"\nsessions_retention = \"7d\"", StringComparison.Ordinal)
            .Replace("table = \"tarpit\"", "table = \"other\"", StringComparison.Ordinal);
        var running = Parse(Base);

        var changes = ConfigChanges.Between(running, Parse(file));

        Assert.Equal(2, changes.NeedRestart.Count);
        Assert.StartsWith("agent.state_dir ", changes.NeedRestart[0], StringComparison.Ordinal);
        Assert.Equal("firewall.table tarpit → other", changes.NeedRestart[1]);
        Assert.Equal((running.Agent.StateDir, "tarpit"), (changes.Effective.Agent.StateDir, changes.Effective.Firewall.Table));
        Assert.Equal(TimeSpan.FromDays(7), changes.Effective.Agent.SessionsRetention);
        Assert.True(changes.RetentionChanged);
        Assert.Equal(["sessions_retention 30d → 7d"], changes.Applied);
        Assert.False(changes.FirewallChanged, "the firewall is untouched when only its table name changed (which stays)");
    }

    [Fact]
    public void A_changed_geoip_allowlist_is_applied_and_a_database_path_waits_for_a_restart()
    {
        var file = Base + "\n\n[geoip]\nasn_db = \"/nonexistent/GeoLite2-ASN.mmdb\"\nallow_asns = [15169]\n";

        var changes = ConfigChanges.Between(Parse(Base), Parse(file));

        Assert.True(changes.GeoAllowlistChanged);
        Assert.Equal(["geoip allowlists 0 → 1 entries"], changes.Applied);
        Assert.StartsWith("geoip.asn_db ", Assert.Single(changes.NeedRestart), StringComparison.Ordinal);
        Assert.Null(changes.Effective.GeoIp.AsnDb);
    }

    [Fact]
    public void A_retention_shorter_than_a_day_is_reported_with_its_position()
    {
        var error = ConfigErrors.Single("[agent]\nbans_retention = \"12h\"\n");

        Assert.Equal("tarpit.toml:2:18: error: 'bans_retention' is 12h, shorter than 1d; allowed: 1d-3650d", error);
    }

    private static ConfigFile Parse(string toml) => ConfigLoader.Parse(toml.ReplaceLineEndings("\n"), "/etc/tarpit-test/tarpit.toml");
}
