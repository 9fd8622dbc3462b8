using Tarpit.Config;

namespace Tarpit.Tests.Config;

public sealed class TarpitBannerTests
{
    [Theory]
    [InlineData("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10")]
    [InlineData("SSH-2.0-OpenSSH_9.2p1")]
    [InlineData("SSH-2.0-x")]
    public void Valid_ssh_identification_strings_are_accepted(string banner)
    {
        Assert.Null(TarpitSection.SshBannerProblem(banner));
    }

    [Fact]
    public void Ssh_banner_of_253_characters_is_the_longest_allowed()
    {
        var longest = "SSH-2.0-x " + new string('c', TarpitSection.MaxSshBannerLength - 10);

        Assert.Equal(253, longest.Length);
        Assert.Null(TarpitSection.SshBannerProblem(longest));
        Assert.Equal(
            "ssh 'banner' is 254 characters long; allowed at most 253 (RFC 4253 §4.2: 255 including CR LF)",
            TarpitSection.SshBannerProblem(longest + "c"));
    }

    [Theory]
    [InlineData("SSH-1.99-OpenSSH_9.2p1", "ssh 'banner' must start with \"SSH-2.0-\" (RFC 4253 §4.2): found \"SSH-1.99-OpenSSH_9.2p1\", expected e.g. \"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\"")]
    [InlineData("SSH-2.0- OpenSSH", "ssh 'banner' needs a software version right after \"SSH-2.0-\" with no spaces or '-' in it, comments after one space (RFC 4253 §4.2): found \"SSH-2.0- OpenSSH\", expected e.g. \"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\"")]
    [InlineData("SSH-2.0-", "ssh 'banner' needs a software version right after \"SSH-2.0-\" with no spaces or '-' in it, comments after one space (RFC 4253 §4.2): found \"SSH-2.0-\", expected e.g. \"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\"")]
    [InlineData("SSH-2.0-Open-SSH", "ssh 'banner' needs a software version right after \"SSH-2.0-\" with no spaces or '-' in it, comments after one space (RFC 4253 §4.2): found \"SSH-2.0-Open-SSH\", expected e.g. \"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\"")]
    [InlineData("SSH-2.0-OpenSSH\tx", "ssh 'banner' must be printable ASCII (RFC 4253 §4.2): found \"SSH-2.0-OpenSSH\\tx\"")]
    [InlineData("SSH-2.0-OpenSSH_9é", "ssh 'banner' must be printable ASCII (RFC 4253 §4.2): found \"SSH-2.0-OpenSSH_9é\"")]
    public void Invalid_ssh_identification_strings_are_refused_with_the_rule(string banner, string expected)
    {
        Assert.Equal(expected, TarpitSection.SshBannerProblem(banner));
    }

    [Fact]
    public void Bad_ssh_banner_is_reported_at_its_value()
    {
        var error = ConfigErrors.Single("[[tarpit]]\nname = \"s\"\nprotocol = \"ssh\"\nlisten = [\"[::]:2222\"]\nbanner = \"OpenSSH\"\n");

        Assert.Equal("tarpit.toml:5:10: error: ssh 'banner' must start with \"SSH-2.0-\" (RFC 4253 §4.2): found \"OpenSSH\", expected e.g. \"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\"", error);
    }

    [Fact]
    public void Http_server_header_of_128_characters_is_the_longest_allowed()
    {
        var toml = "[[tarpit]]\nname = \"h\"\nprotocol = \"http\"\nlisten = [\"[::]:8080\"]\nbanner = \"{0}\"\n";
        var longest = new string('n', TarpitSection.MaxHttpBannerLength);

        var config = ConfigLoader.Parse(string.Format(System.Globalization.CultureInfo.InvariantCulture, toml, longest), ConfigErrors.File);
        var error = ConfigErrors.Single(string.Format(System.Globalization.CultureInfo.InvariantCulture, toml, longest + "n"));

        Assert.Equal(longest, config.Tarpits.Single().Banner);
        Assert.Equal($"tarpit.toml:5:10: error: http 'banner' (the Server header) must be 1-128 printable ASCII characters: found \"{longest}n\", expected e.g. \"nginx/1.22.1\"", error);
    }

    [Fact]
    public void Realm_with_a_quote_is_refused()
    {
        var error = ConfigErrors.Single("[[tarpit]]\nname = \"h\"\nprotocol = \"http\"\nlisten = [\"[::]:8080\"]\nrealm = 'a\"b'\n");

        Assert.Equal("tarpit.toml:5:9: error: 'realm' must be 1-128 printable ASCII characters without '\"' or '\\': found \"a\\\"b\", expected e.g. \"Restricted\"", error);
    }

    [Theory]
    [InlineData("ssh", "2222", "22", "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10")]
    [InlineData("http", "8080", "80", "nginx/1.22.1")]
    public void Auto_banner_is_kept_as_written_and_check_notes_that_it_is_read_at_start(string protocol, string listen, string port, string fallback)
    {
        var toml = $"[[tarpit]]\nname = \"t\"\nprotocol = \"{protocol}\"\nlisten = [\"[::]:{listen}\"]\nbanner = \"auto\"\n";

        var config = ConfigLoader.Parse(toml, ConfigErrors.File);

        Assert.Equal("auto", config.Tarpits.Single().Banner);
        Assert.Equal(
            [$"tarpit.toml:5:10: note: banner = \"auto\": read at start (run only) from the real service on 127.0.0.1:{port} (or [::1]), within 2s; \"{fallback}\" if nothing valid answers"],
            config.Notes.Select(n => n.ToString()));
        Assert.Contains("banner = \"auto\"", ConfigPrinter.Render(config), StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_banner_without_a_redirected_port_is_refused()
    {
        var error = ConfigErrors.Single("[[tarpit]]\nname = \"s\"\nprotocol = \"ssh\"\nlisten = [\"[::]:2222\"]\nredirect_ports = []\nbanner = \"auto\"\n");

        Assert.Equal("tarpit.toml:6:10: error: banner = \"auto\" copies the real service on the first of 'redirect_ports', and this tarpit has none; set a banner, e.g. \"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\"", error);
    }

    [Fact]
    public void Auto_banner_is_refused_in_a_tls_tarpit()
    {
        var error = ConfigErrors.Single("[[tarpit]]\nname = \"t\"\nprotocol = \"tls\"\nlisten = [\"[::]:8443\"]\nbanner = \"auto\"\n");

        Assert.Equal("tarpit.toml:5:10: error: tls tarpits send no banner; remove 'banner' from this tarpit", error);
    }
}
