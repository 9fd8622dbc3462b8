using System.Net;
using Tarpit.Agent.Commands;
using Tarpit.Config;
using Tarpit.Tests.Config;

namespace Tarpit.Tests.Net;

public sealed class AllowlistConfigTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("tarpit-net-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void An_octal_looking_allowlist_entry_is_a_config_error_with_file_line_and_column()
    {
        var error = ConfigErrors.Single("[firewall]\nallow = [\"127.0.0.0/8\", \"010.0.0.1\"]\n");

        Assert.Equal(
            "tarpit.toml:2:25: error: invalid 'allow' entry: \"010.0.0.1\" is not an IP address or network: leading zeros are not allowed (some tools read 010 as octal 8, others as decimal 10); write \"10.0.0.1\" if you mean decimal",
            error);
    }

    [Theory]
    [InlineData("\"10.0.0.01\"")]
    [InlineData("\"fe80::1%eth0\"")]
    [InlineData("\"10.0.0.0/024\"")]
    [InlineData("\"0x7f.0.0.1\"")]
    public void Other_lax_spellings_are_config_errors_too(string entry)
    {
        var error = ConfigErrors.Single($"[firewall]\nallow = [{entry}]\n");

        Assert.StartsWith($"tarpit.toml:2:10: error: invalid 'allow' entry: {entry} ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mapped_allowlist_entry_is_kept_as_the_ipv4_network_with_a_note()
    {
        var config = ConfigLoader.Parse("[firewall]\nallow = [\"::ffff:10.0.0.3\", \"::ffff:10.0.0.0/104\", \"192.0.2.0/24\"]\n", ConfigErrors.File);

        Assert.Equal([IPNetwork.Parse("10.0.0.3/32"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("192.0.2.0/24")], config.Firewall.Allow);
        Assert.Equal(
            [
                "tarpit.toml:2:10: note: 'allow' entry \"::ffff:10.0.0.3\" is an IPv4-mapped IPv6 address; it is kept as the IPv4 network \"10.0.0.3\", which is what IPv4 packets and bans match; write that to silence this note",
                "tarpit.toml:2:29: note: 'allow' entry \"::ffff:10.0.0.0/104\" is an IPv4-mapped IPv6 address; it is kept as the IPv4 network \"10.0.0.0/8\", which is what IPv4 packets and bans match; write that to silence this note",
            ],
            config.Notes.Select(n => n.ToString()));
    }

    [Fact]
    public void Check_notes_the_mapped_entry_on_stderr_and_prints_it_as_ipv4()
    {
        var path = Path.Combine(_dir.FullName, "tarpit.toml");
        File.WriteAllText(path, "[firewall]\nallow = [\"::ffff:10.0.0.3\"]\n");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = CheckCommand.Run(path, output, error);

        Assert.Equal(0, exitCode);
        Assert.StartsWith($"{path}:2:10: note: 'allow' entry \"::ffff:10.0.0.3\" is an IPv4-mapped IPv6 address", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("allow = [\"10.0.0.3\"]", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("ffff", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_config_without_mapped_entries_has_no_notes()
    {
        var config = ConfigLoader.Parse("[firewall]\nallow = [\"10.0.0.3\"]\n", ConfigErrors.File);

        Assert.Empty(config.Notes);
    }

    [Theory]
    [InlineData("\"010.0.0.1:2222\"", "listen address \"010.0.0.1:2222\" does not start with an IP address: leading zeros are not allowed")]
    [InlineData("\"[fe80::1%eth0]:2222\"", "listen address \"[fe80::1%eth0]:2222\" does not start with an IP address: zone ids like %eth0 are not allowed")]
    [InlineData("\"[::ffff:010.0.0.1]:2222\"", "listen address \"[::ffff:010.0.0.1]:2222\" does not start with an IP address: leading zeros are not allowed")]
    public void Listen_addresses_use_the_same_strict_address_reader(string listen, string expected)
    {
        var error = ConfigErrors.Single($"[[tarpit]]\nname = \"s\"\nprotocol = \"ssh\"\nlisten = [{listen}]\n");

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
