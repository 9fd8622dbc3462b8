using Serilog.Events;
using Tarpit.Config;
using Tarpit.Tarpits;
using Tarpit.Tarpits.Engine;
using Tarpit.Tarpits.Ssh;
using Tarpit.Tests.Tarpits.Ssh;

namespace Tarpit.Tests.Tarpits.Engine;

/// <summary>
/// Issue 20: the SSH tarpit's host keys are the real sshd's (<c>host_keys = "auto"</c>), else the agent's own, kept
/// in the state dir so that a restart shows the same fingerprints.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HostKeyFilesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tarpit-host-keys-").FullName;

    private string StateDir => Path.Join(_root, "state");

    private string SshDir => Path.Join(_root, "ssh");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Two_tarpits_with_the_same_state_dir_show_the_same_host_keys_as_after_a_restart()
    {
        Directory.CreateDirectory(SshDir);
        var config = Load($"host_key_dir = \"{SshDir}\"\n");

        var first = Start(config, new CollectingLogSink());
        var second = Start(config, new CollectingLogSink());

        foreach (var algorithm in SshHostKeys.Algorithms)
        {
            Assert.Equal(KexDhAnswerTests.ReplyBlob(first, 1, algorithm), KexDhAnswerTests.ReplyBlob(second, 1, algorithm));
        }
    }

    [Fact]
    public void The_real_sshds_public_keys_are_shown_when_readable_and_nothing_is_written()
    {
        WriteRealKeys();
        var log = new CollectingLogSink();

        var mode = Start(Load($"host_key_dir = \"{SshDir}\"\n"), log);

        Assert.Equal(Blob(SshPublicKeyLineTests.EcdsaLine), KexDhAnswerTests.ReplyBlob(mode, 1, SshHostKeys.EcdsaP256));
        Assert.Equal(Blob(SshPublicKeyLineTests.Ed25519Line), KexDhAnswerTests.ReplyBlob(mode, 1, SshHostKeys.Ed25519));
        Assert.Empty(log.Rendered(LogEventLevel.Warning));
        Assert.Contains($"Tarpit ssh (ssh): host_keys = \"auto\" shows the real sshd's public host keys from {SshDir}", log.Rendered(LogEventLevel.Information));
        Assert.False(File.Exists(Path.Join(StateDir, SshHostKeysConfig.GeneratedFile)));
    }

    [Fact]
    public void A_missing_file_gets_one_warning_naming_it_and_the_agents_own_key_of_that_type_kept_private()
    {
        WriteRealKeys();
        File.Delete(Path.Join(SshDir, SshHostKeysConfig.Ed25519File));
        var log = new CollectingLogSink();

        var mode = Start(Load($"host_key_dir = \"{SshDir}\"\n"), log);

        var file = Path.Join(SshDir, SshHostKeysConfig.Ed25519File);
        var warning = Assert.Single(log.Rendered(LogEventLevel.Warning));
        Assert.Equal($"Tarpit ssh (ssh): host_keys = \"auto\" cannot use {file}: no such file; showing the agent's own key of that type instead, which a client that knows the real one may tell from it", warning);
        Assert.Equal(Blob(SshPublicKeyLineTests.EcdsaLine), KexDhAnswerTests.ReplyBlob(mode, 1, SshHostKeys.EcdsaP256));
        var kept = Path.Join(StateDir, SshHostKeysConfig.GeneratedFile);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(kept));
        var ownEd25519 = File.ReadAllLines(kept).Single(l => l.StartsWith("ssh-ed25519 ", StringComparison.Ordinal));
        Assert.Equal(Blob(ownEd25519), KexDhAnswerTests.ReplyBlob(mode, 1, SshHostKeys.Ed25519));
        Assert.Equal([kept], Directory.GetFiles(StateDir));
    }

    [Theory]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJBUqtOzGNkTfNpcImWz4IbDhDCBrMkSe1TALyjTKPB\n", "the ssh-ed25519 key is not valid base64")]
    [InlineData(SshPublicKeyLineTests.EcdsaLine + "\n", "it holds a ecdsa-sha2-nistp256 key, not ssh-ed25519")]
    [InlineData("# only a comment\n\n", "it holds no public key line")]
    [InlineData("", "it holds no public key line")]
    public void A_bad_file_gets_one_warning_naming_it_and_why(string text, string reason)
    {
        WriteRealKeys();
        var file = Path.Join(SshDir, SshHostKeysConfig.Ed25519File);
        File.WriteAllText(file, text);
        var log = new CollectingLogSink();

        Start(Load($"host_key_dir = \"{SshDir}\"\n"), log);

        Assert.Equal($"Tarpit ssh (ssh): host_keys = \"auto\" cannot use {file}: {reason}; showing the agent's own key of that type instead, which a client that knows the real one may tell from it", Assert.Single(log.Rendered(LogEventLevel.Warning)));
    }

    [Fact]
    public void A_file_of_16384_bytes_is_the_longest_read()
    {
        WriteRealKeys();
        var file = Path.Join(SshDir, SshHostKeysConfig.Ed25519File);
        var line = SshPublicKeyLineTests.Ed25519Line + " ";
        File.WriteAllText(file, line + new string('c', SshPublicKeyLine.MaxFileBytes - line.Length));

        Assert.NotNull(HostKeyFiles.ReadRealFile(file, SshHostKeys.Ed25519, out _));
        File.AppendAllText(file, "c");
        Assert.Null(HostKeyFiles.ReadRealFile(file, SshHostKeys.Ed25519, out var problem));
        Assert.Equal("it is longer than 16384 bytes (OpenSSH's bound on a public key file)", problem);
    }

    [Fact]
    public void Generated_ignores_the_real_keys_and_shows_the_kept_ones()
    {
        WriteRealKeys();
        var log = new CollectingLogSink();

        var first = Start(Load("host_keys = \"generated\"\n"), log);
        var again = Start(Load("host_keys = \"generated\"\n"), new CollectingLogSink());

        var blob = KexDhAnswerTests.ReplyBlob(first, 1, SshHostKeys.Ed25519);
        Assert.NotEqual(Blob(SshPublicKeyLineTests.Ed25519Line), blob);
        Assert.Equal(blob, KexDhAnswerTests.ReplyBlob(again, 1, SshHostKeys.Ed25519));
        Assert.Empty(log.Rendered(LogEventLevel.Warning));
        Assert.Contains(log.Rendered(LogEventLevel.Information), l => l.StartsWith("Made the agent's own SSH host keys (ecdsa-sha2-nistp256, ssh-ed25519, public only)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_damaged_kept_file_is_replaced_with_one_warning_naming_it()
    {
        Directory.CreateDirectory(StateDir);
        var kept = Path.Join(StateDir, SshHostKeysConfig.GeneratedFile);
        File.WriteAllText(kept, SshPublicKeyLineTests.Ed25519Line + "\nssh-ed25519 junk\n");
        var log = new CollectingLogSink();

        var mode = Start(Load("host_keys = \"generated\"\n"), log);

        Assert.Equal(
            $"The agent's own SSH host keys in {kept} are not valid: the ssh-ed25519 key blob does not start with the string \"ssh-ed25519\"; making new ones, so a scanner that saw the old ones sees a change",
            Assert.Single(log.Rendered(LogEventLevel.Warning)));
        // The valid line is kept; the missing ECDSA key is made and the file rewritten whole.
        Assert.Equal(Blob(SshPublicKeyLineTests.Ed25519Line), KexDhAnswerTests.ReplyBlob(mode, 1, SshHostKeys.Ed25519));
        var lines = File.ReadAllLines(kept);
        Assert.Equal(["ecdsa-sha2-nistp256", "ssh-ed25519"], lines.Select(l => l.Split(' ')[0]));
        Assert.All(lines, l => Assert.NotNull(SshPublicKeyLine.Parse(l, out _)));
    }

    [Fact]
    public void A_state_dir_that_cannot_be_written_shows_keys_for_this_run_with_a_warning()
    {
        File.WriteAllText(Path.Join(_root, "file"), "not a dir");
        var log = new CollectingLogSink();

        var keys = HostKeyFiles.OwnKeys(Path.Join(_root, "file"), log.CreateLogger());

        Assert.NotNull(keys);
        Assert.StartsWith($"Cannot keep the agent's own SSH host keys in {Path.Join(_root, "file", SshHostKeysConfig.GeneratedFile)}: ", Assert.Single(log.Rendered(LogEventLevel.Warning)), StringComparison.Ordinal);
    }

    private static byte[] Blob(string line) => SshPublicKeyLine.Parse(line, out _)!.Blob;

    private ConfigFile Load(string hostKeys) => ConfigLoader.Parse(
        $"[agent]\nstate_dir = \"{StateDir}\"\n[[tarpit]]\nname = \"ssh\"\nprotocol = \"ssh\"\nmode = \"kex-hold\"\nlisten = [\"127.0.0.1:2222\"]\n{hostKeys}",
        "tarpit.toml");

    /// <summary>What a start does for one tarpit: host keys resolved, then the mode built.</summary>
    private static ITarpitMode Start(ConfigFile config, CollectingLogSink log) =>
        SshModes.Create(HostKeyFiles.Resolve(config.Tarpits, config.Agent.StateDir, log.CreateLogger())[0]);

    private void WriteRealKeys()
    {
        Directory.CreateDirectory(SshDir);
        File.WriteAllText(Path.Join(SshDir, SshHostKeysConfig.EcdsaFile), SshPublicKeyLineTests.EcdsaLine + "\n");
        File.WriteAllText(Path.Join(SshDir, SshHostKeysConfig.Ed25519File), SshPublicKeyLineTests.Ed25519Line + "\n");
    }
}
