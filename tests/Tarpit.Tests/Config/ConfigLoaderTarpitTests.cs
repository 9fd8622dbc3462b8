namespace Tarpit.Tests.Config;

public sealed class ConfigLoaderTarpitTests
{
    private const string Ssh = "[[tarpit]]\nname = \"ssh\"\nprotocol = \"ssh\"\nlisten = [\"[::]:2222\"]\n";

    [Fact]
    public void Missing_required_keys_are_reported_at_the_table_header()
    {
        var errors = ConfigErrors.Of("[agent]\n\n[[tarpit]]\nmode = \"kex-hold\"\n");

        Assert.Equal(
            [
                "tarpit.toml:3:1: error: [[tarpit]] is missing the required key 'name'; add it, e.g. name = \"tarpit\"",
                "tarpit.toml:3:1: error: [[tarpit]] is missing the required key 'protocol'; add it, e.g. protocol = \"ssh\" (or \"http\", \"tls\")",
                "tarpit.toml:3:1: error: [[tarpit]] is missing the required key 'listen'; add it, e.g. listen = [\"[::]:2222\"]",
            ],
            errors);
    }

    [Theory]
    [InlineData("ssh", "fast", "kex-hold, endless-banner")]
    [InlineData("http", "endless-banner", "endless-header, drip, gzip-bomb, deflate-bomb, fake-auth")]
    [InlineData("tls", "drip", "endless-hello-request, slow-hello, handshake-drip")]
    public void Unknown_mode_lists_the_modes_of_the_protocol(string protocol, string mode, string allowed)
    {
        var error = ConfigErrors.Single($"[[tarpit]]\nname = \"t\"\nprotocol = \"{protocol}\"\nmode = \"{mode}\"\nlisten = [\"[::]:2222\"]\n");

        Assert.Equal($"tarpit.toml:4:8: error: unknown mode \"{mode}\" for protocol = \"{protocol}\"; allowed: {allowed}", error);
    }

    [Fact]
    public void Unknown_protocol_lists_the_protocols()
    {
        var error = ConfigErrors.Single("[[tarpit]]\nname = \"t\"\nprotocol = \"ftp\"\nlisten = [\"[::]:21\"]\n");

        Assert.Equal("tarpit.toml:3:12: error: unknown protocol \"ftp\"; allowed: ssh, http, tls", error);
    }

    [Theory]
    [InlineData("\"[::]:70000\"", "port 70000 in listen address \"[::]:70000\" is out of range; allowed 1-65535")]
    [InlineData("\"0.0.0.0:0\"", "port 0 in listen address \"0.0.0.0:0\" is out of range; allowed 1-65535")]
    [InlineData("\"0.0.0.0\"", "listen address \"0.0.0.0\" has no port; expected \"ipv4:port\" or \"[ipv6]:port\", e.g. \"0.0.0.0:2222\" or \"[::]:2222\", port 1-65535")]
    [InlineData("\":::2222\"", "listen address \":::2222\" looks like IPv6 without brackets; write it as \"[address]:port\"")]
    [InlineData("\"localhost:2222\"", "listen address \"localhost:2222\" does not start with an IP address (host names are not resolved); expected \"ipv4:port\" or \"[ipv6]:port\", e.g. \"0.0.0.0:2222\" or \"[::]:2222\", port 1-65535")]
    [InlineData("2222", "'listen' entries must be strings: found integer 2222, expected \"ipv4:port\" or \"[ipv6]:port\", e.g. \"0.0.0.0:2222\" or \"[::]:2222\", port 1-65535")]
    public void Bad_listen_addresses_are_reported_at_the_entry(string entry, string message)
    {
        var error = ConfigErrors.Single($"[[tarpit]]\nname = \"t\"\nprotocol = \"ssh\"\nlisten = [{entry}]\n");

        Assert.Equal($"tarpit.toml:4:11: error: {message}", error);
    }

    [Fact]
    public void Empty_listen_is_reported()
    {
        var error = ConfigErrors.Single("[[tarpit]]\nname = \"t\"\nprotocol = \"ssh\"\nlisten = []\n");

        Assert.Equal("tarpit.toml:4:1: error: 'listen' is empty; give at least one address: \"ipv4:port\" or \"[ipv6]:port\", e.g. \"0.0.0.0:2222\" or \"[::]:2222\", port 1-65535", error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void Redirect_port_out_of_range_is_reported(int port)
    {
        var error = ConfigErrors.Single(Ssh + $"redirect_ports = [22, {port}]\n");

        Assert.Equal($"tarpit.toml:5:23: error: redirect port {port} is out of range; allowed 1-65535", error);
    }

    [Fact]
    public void Duplicate_tarpit_names_are_reported_at_the_second_name()
    {
        var error = ConfigErrors.Single(Ssh + "[[tarpit]]\nname = \"ssh\"\nprotocol = \"http\"\nlisten = [\"[::]:8080\"]\n");

        Assert.Equal("tarpit.toml:6:8: error: duplicate tarpit name \"ssh\": the tarpit on line 2 already has it; tarpit names must be unique", error);
    }

    [Fact]
    public void Two_tarpits_on_one_listen_address_are_reported()
    {
        var error = ConfigErrors.Single(Ssh + "[[tarpit]]\nname = \"web\"\nprotocol = \"http\"\nlisten = [\"[::]:2222\"]\n");

        Assert.Equal("tarpit.toml:8:11: error: listen address \"[::]:2222\" is already used by tarpit \"ssh\" (line 4); each address and port can have one tarpit", error);
    }

    [Fact]
    public void Dual_stack_any_and_ipv4_any_on_the_same_port_are_reported_as_overlapping()
    {
        var error = ConfigErrors.Single(Ssh + "[[tarpit]]\nname = \"web\"\nprotocol = \"http\"\nlisten = [\"127.0.0.1:8080\", \"0.0.0.0:2222\"]\n");

        Assert.Equal("tarpit.toml:8:29: error: listen address \"0.0.0.0:2222\" overlaps \"[::]:2222\" of tarpit \"ssh\" (line 4): \"[::]\" is dual-stack and also takes IPv4, so both cannot bind port 2222; use another port", error);
    }

    [Fact]
    public void Ipv4_any_overlaps_a_specific_ipv4_address_on_the_same_port()
    {
        var error = ConfigErrors.Single("[[tarpit]]\nname = \"a\"\nprotocol = \"ssh\"\nlisten = [\"192.0.2.7:2222\", \"0.0.0.0:2222\"]\n");

        Assert.Equal("tarpit.toml:4:29: error: listen address \"0.0.0.0:2222\" overlaps \"192.0.2.7:2222\" of tarpit \"a\" (line 4): \"0.0.0.0\" takes every IPv4 address, so both cannot bind port 2222; use another port", error);
    }

    [Fact]
    public void Different_ports_and_a_specific_ipv6_next_to_ipv4_any_do_not_overlap()
    {
        var config = Tarpit.Config.ConfigLoader.Parse(
            "[[tarpit]]\nname = \"a\"\nprotocol = \"ssh\"\nlisten = [\"0.0.0.0:2222\", \"[2001:db8::7]:2222\", \"[::]:2223\"]\n",
            ConfigErrors.File);

        Assert.Equal(3, config.Tarpits.Single().Listen.Count);
    }

    [Fact]
    public void A_redirect_port_claimed_by_two_tarpits_is_reported()
    {
        var error = ConfigErrors.Single(Ssh + "[[tarpit]]\nname = \"ssh2\"\nprotocol = \"ssh\"\nlisten = [\"[::]:2223\"]\nredirect_ports = [2022, 22]\n");

        Assert.Equal("tarpit.toml:9:25: error: redirect port 22 is already claimed by tarpit \"ssh\" (line 1, the default for protocol = \"ssh\"); connections to a port can be redirected into one tarpit only (set redirect_ports = [] for a pure decoy)", error);
    }

    [Fact]
    public void Two_tarpits_that_both_default_to_the_same_redirect_port_are_reported_at_the_second_header()
    {
        var error = ConfigErrors.Single(Ssh + "[[tarpit]]\nname = \"ssh2\"\nprotocol = \"ssh\"\nlisten = [\"[::]:2223\"]\n");

        Assert.Equal("tarpit.toml:5:1: error: redirect port 22 (the default for protocol = \"ssh\") is already claimed by tarpit \"ssh\" (line 1, the default for protocol = \"ssh\"); connections to a port can be redirected into one tarpit only (set redirect_ports = [] for a pure decoy)", error);
    }

    [Fact]
    public void Explicit_redirect_port_clash_is_reported_at_the_port()
    {
        var error = ConfigErrors.Single(Ssh + "redirect_ports = [2022]\n[[tarpit]]\nname = \"web\"\nprotocol = \"http\"\nlisten = [\"[::]:8080\"]\nredirect_ports = [80, 2022]\n");

        Assert.Equal("tarpit.toml:10:23: error: redirect port 2022 is already claimed by tarpit \"ssh\" (line 5); connections to a port can be redirected into one tarpit only (set redirect_ports = [] for a pure decoy)", error);
    }

    [Fact]
    public void Http_only_keys_are_refused_in_other_tarpits()
    {
        var error = ConfigErrors.Single(Ssh + "bomb_size = \"1GiB\"\n");

        Assert.Equal("tarpit.toml:5:1: error: 'bomb_size' is only for http tarpits, and this one has protocol = \"ssh\"; remove it", error);
    }

    [Fact]
    public void Banner_is_refused_in_a_tls_tarpit()
    {
        var error = ConfigErrors.Single("[[tarpit]]\nname = \"t\"\nprotocol = \"tls\"\nlisten = [\"[::]:8443\"]\nbanner = \"x\"\n");

        Assert.Equal("tarpit.toml:5:10: error: tls tarpits send no banner; remove 'banner' from this tarpit", error);
    }

    [Theory]
    [InlineData("jitter = 1.0", "tarpit.toml:5:10: error: 'jitter' is out of range: found 1.0, allowed 0.0 <= jitter < 1.0")]
    [InlineData("jitter = -0.1", "tarpit.toml:5:10: error: 'jitter' is out of range: found -0.1, allowed 0.0 <= jitter < 1.0")]
    [InlineData("drip_bytes = 1025", "tarpit.toml:5:14: error: 'drip_bytes' is out of range: found 1025, allowed 1-1024")]
    [InlineData("drip_bytes = 0", "tarpit.toml:5:14: error: 'drip_bytes' is out of range: found 0, allowed 1-1024")]
    [InlineData("max_clients = 1000001", "tarpit.toml:5:15: error: 'max_clients' is out of range: found 1000001, allowed 1-1000000")]
    [InlineData("max_clients = 10\nmax_clients_per_ip = 11", "tarpit.toml:6:22: error: 'max_clients_per_ip' is out of range: found 11, allowed 1-10")]
    [InlineData("max_clients = 10\nmax_clients_per_v6_64 = 11", "tarpit.toml:6:25: error: 'max_clients_per_v6_64' is out of range: found 11, allowed 10-10")]
    [InlineData("max_clients_per_ip = 8\nmax_clients_per_v6_64 = 7", "tarpit.toml:6:25: error: 'max_clients_per_v6_64' is out of range: found 7, allowed 8-8192")]
    [InlineData("interval = \"2h\"\nmax_hold = \"1h\"", "tarpit.toml:5:1: error: 'interval' (2h) is longer than 'max_hold' (1h); a connection would be closed before its first drip")]
    [InlineData("name2 = \"x\"", "tarpit.toml:5:1: error: unknown key 'name2' in [[tarpit]]; did you mean 'name'?")]
    public void Tarpit_values_out_of_range_are_reported(string lines, string expected)
    {
        Assert.Equal(expected, ConfigErrors.Single(Ssh + lines + "\n"));
    }

    [Theory]
    [InlineData("", 64)]
    [InlineData("max_clients = 10\n", 10)]
    [InlineData("max_clients_per_ip = 100\n", 100)]
    [InlineData("max_clients_per_ip = 8\nmax_clients_per_v6_64 = 8\n", 8)]
    [InlineData("max_clients_per_v6_64 = 8192\n", 8192)]
    public void Max_clients_per_v6_64_defaults_to_64_within_max_clients_per_ip_and_max_clients(string lines, int expected)
    {
        var config = Tarpit.Config.ConfigLoader.Parse(Ssh + lines, "/etc/tarpit-test/tarpit.toml");

        Assert.Equal(expected, Assert.Single(config.Tarpits).MaxClientsPerV6Prefix);
    }

    [Fact]
    public void Bad_tarpit_name_is_reported()
    {
        var error = ConfigErrors.Single("[[tarpit]]\nname = \"My SSH\"\nprotocol = \"ssh\"\nlisten = [\"[::]:2222\"]\n");

        Assert.Equal("tarpit.toml:2:8: error: 'name' is not a valid name: found \"My SSH\", expected 1-32 of a-z, 0-9, '_' and '-' ([a-z0-9_-]{1,32})", error);
    }
}
