using Tarpit.Config;

namespace Tarpit.Tests.Config;

/// <summary>Issue 20: <c>host_keys</c> and <c>host_key_dir</c> of an SSH tarpit.</summary>
public sealed class TarpitHostKeysConfigTests
{
    private const string Ssh = "[[tarpit]]\nname = \"s\"\nprotocol = \"ssh\"\nlisten = [\"[::]:2222\"]\n";

    [Fact]
    public void An_ssh_tarpit_shows_the_real_sshds_keys_from_etc_ssh_by_default()
    {
        var config = ConfigLoader.Parse(Ssh, ConfigErrors.File);

        Assert.Equal(new SshHostKeysConfig("auto", "/etc/ssh"), config.Tarpits.Single().SshHostKeys);
        Assert.Contains("\nhost_keys = \"auto\"\nhost_key_dir = \"/etc/ssh\"\n", ConfigPrinter.Render(config), StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_and_a_directory_are_read_and_printed()
    {
        var generated = ConfigLoader.Parse(Ssh + "host_keys = \"generated\"\n", ConfigErrors.File);
        var directory = ConfigLoader.Parse(Ssh + "host_key_dir = \"/srv/keys/\"\n", ConfigErrors.File);

        Assert.Equal(new SshHostKeysConfig("generated", "/etc/ssh"), generated.Tarpits.Single().SshHostKeys);
        Assert.Contains("\nhost_keys = \"generated\"\n", ConfigPrinter.Render(generated), StringComparison.Ordinal);
        Assert.DoesNotContain("host_key_dir", ConfigPrinter.Render(generated), StringComparison.Ordinal);
        Assert.Equal(new SshHostKeysConfig("auto", "/srv/keys"), directory.Tarpits.Single().SshHostKeys);
    }

    [Fact]
    public void Auto_written_out_gets_a_note_naming_the_files_read()
    {
        var config = ConfigLoader.Parse(Ssh + "host_keys = \"auto\"\nhost_key_dir = \"/srv/keys\"\n", ConfigErrors.File);

        var note = Assert.Single(config.Notes);
        Assert.Equal(
            "tarpit.toml:5:13: note: host_keys = \"auto\": read at start (run only) from /srv/keys/ssh_host_ecdsa_key.pub and ssh_host_ed25519_key.pub (public keys only); "
            + "each one missing or not valid is replaced by the agent's own, made once and kept in state_dir (ssh-host-keys.pub)",
            note.ToString());
    }

    [Fact]
    public void A_change_of_host_keys_is_a_change_of_the_tarpit()
    {
        var before = ConfigLoader.Parse(Ssh, ConfigErrors.File).Tarpits.Single();
        var after = ConfigLoader.Parse(Ssh + "host_keys = \"generated\"\n", ConfigErrors.File).Tarpits.Single();

        Assert.NotEqual(before, after);
        Assert.Equal(before, before with { SshHostKeyBlobs = new Dictionary<string, byte[]>() });
    }

    [Theory]
    [InlineData("host_keys = \"off\"\n", "tarpit.toml:5:13: error: unknown host_keys \"off\"; allowed: auto, generated")]
    [InlineData("host_keys = true\n", "tarpit.toml:5:13: error: 'host_keys' has the wrong type: found boolean true")]
    [InlineData("host_key_dir = \"ssh\"\n", "tarpit.toml:5:16: error: 'host_key_dir' must be an absolute path: found \"ssh\", expected e.g. \"/etc/ssh\"")]
    [InlineData("host_key_dir = \"\"\n", "tarpit.toml:5:16: error: 'host_key_dir' must be an absolute path: found \"\", expected e.g. \"/etc/ssh\"")]
    [InlineData("host_keys = \"generated\"\nhost_key_dir = \"/srv/keys\"\n", "tarpit.toml:6:16: error: 'host_key_dir' is only read with host_keys = \"auto\", and this tarpit sets host_keys = \"generated\"; remove one of them")]
    public void Bad_values_are_reported_at_the_value(string keys, string expected)
    {
        Assert.StartsWith(expected, ConfigErrors.Single(Ssh + keys), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http", "host_keys = \"auto\"\n", "tarpit.toml:5:1: error: 'host_keys' is only for ssh tarpits, and this one has protocol = \"http\"; remove it")]
    [InlineData("tls", "host_key_dir = \"/etc/ssh\"\n", "tarpit.toml:5:1: error: 'host_key_dir' is only for ssh tarpits, and this one has protocol = \"tls\"; remove it")]
    public void Host_key_keys_in_other_tarpits_are_errors(string protocol, string keys, string expected)
    {
        var toml = $"[[tarpit]]\nname = \"o\"\nprotocol = \"{protocol}\"\nlisten = [\"[::]:8080\"]\n" + keys;

        Assert.Equal(expected, ConfigErrors.Single(toml));
    }
}
