using System.Globalization;
using CliWrap;
using Tarpit.Config;
using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.Tarpits.Ssh;

/// <summary>
/// Issue 20: the host keys nmap's <c>ssh-hostkey</c> reads from the tarpit are the real sshd's (<c>host_keys =
/// "auto"</c>, here a private <c>host_key_dir</c> made with ssh-keygen), else the agent's own, the same after a restart.
/// </summary>
public sealed partial class NmapHostKeySystemTests
{
    [SystemFact(false, "nmap", "ssh-keygen")]
    public async Task Nmap_ssh_hostkey_prints_the_fingerprints_of_the_real_sshds_pub_files()
    {
        Prerequisites.Require(false, "nmap", "ssh-keygen");
        var directory = Directory.CreateTempSubdirectory("tarpit-nmap-hostkeys-");
        try
        {
            var keys = Path.Join(directory.FullName, "ssh");
            var expected = await MakeHostKeysAsync(keys);
            var config = WithHostKeyDir(keys);
            await using var tarpit = await SshTarpitUnderTest.StartAsync(config, Path.Join(directory.FullName, "state"));

            var output = await ScanAsync(tarpit.Port);

            Assert.Equal(expected, Fingerprints(output));
            Assert.False(File.Exists(Path.Join(directory.FullName, "state", SshHostKeysConfig.GeneratedFile)));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [SystemFact(false, "nmap", "ssh-keygen")]
    public async Task Nmap_ssh_hostkey_sees_the_agents_own_keys_unchanged_after_a_restart()
    {
        Prerequisites.Require(false, "nmap", "ssh-keygen");
        var directory = Directory.CreateTempSubdirectory("tarpit-nmap-ownkeys-");
        try
        {
            var state = Path.Join(directory.FullName, "state");
            // An empty key dir: both real files missing, so both keys are the agent's own.
            var empty = Directory.CreateDirectory(Path.Join(directory.FullName, "ssh")).FullName;
            var config = WithHostKeyDir(empty);

            List<string> before;
            await using (var first = await SshTarpitUnderTest.StartAsync(config, state))
            {
                before = Fingerprints(await ScanAsync(first.Port));
            }

            await using var restarted = await SshTarpitUnderTest.StartAsync(config, state);
            var after = Fingerprints(await ScanAsync(restarted.Port));

            Assert.Equal(2, before.Count);
            Assert.Equal(before, after);
            Assert.Equal(before, await FingerprintsOfAsync(Path.Join(state, SshHostKeysConfig.GeneratedFile)));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [SystemFact(false, "ssh", "ssh-keygen")]
    public async Task OpenSSH_that_knows_the_real_key_sees_no_changed_host_identification_on_the_tarpit()
    {
        Prerequisites.Require(false, "ssh", "ssh-keygen");
        var directory = Directory.CreateTempSubdirectory("tarpit-known-hosts-");
        try
        {
            var keys = Path.Join(directory.FullName, "ssh");
            await MakeHostKeysAsync(keys);
            var config = WithHostKeyDir(keys);
            await using var tarpit = await SshTarpitUnderTest.StartAsync(config, Path.Join(directory.FullName, "state"));
            var real = (await File.ReadAllTextAsync(Path.Join(keys, SshHostKeysConfig.Ed25519File))).Split(' ');
            var other = Path.Join(directory.FullName, "other");
            await Cli.Wrap("ssh-keygen").WithArguments(["-q", "-t", "ed25519", "-N", "", "-f", other]).ExecuteAsync();
            var otherKey = (await File.ReadAllTextAsync(other + ".pub")).Split(' ');

            var known = await ConnectKnowingAsync(directory.FullName, tarpit.Port, real[0] + " " + real[1]);
            var changed = await ConnectKnowingAsync(directory.FullName, tarpit.Port, otherKey[0] + " " + otherKey[1]);

            // The client checks the host key against known_hosts before the exchange's signature (which is random).
            Assert.DoesNotContain("REMOTE HOST IDENTIFICATION HAS CHANGED", known, StringComparison.Ordinal);
            Assert.Contains("debug1: Host '[127.0.0.1]:", known, StringComparison.Ordinal);
            Assert.Contains("is known and matches the ED25519 host key.", known, StringComparison.Ordinal);
            Assert.Contains("REMOTE HOST IDENTIFICATION HAS CHANGED", changed, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>A fast kex-hold tarpit with <c>host_keys = "auto"</c> reading <paramref name="directory"/>.</summary>
    private static TarpitConfig WithHostKeyDir(string directory) =>
        SshTarpitUnderTest.Config("kex-hold", verifyClient: true, TimeSpan.FromMilliseconds(200)) with
        {
            SshHostKeys = new SshHostKeysConfig(SshHostKeysConfig.Auto, directory),
        };

    /// <summary>
    /// OpenSSH with a private known_hosts holding <paramref name="key"/> for the tarpit, negotiating the fixed group a
    /// host key check needs here (its default curve25519 exchange is held before any host key is sent); at most 20 s.
    /// </summary>
    private static async Task<string> ConnectKnowingAsync(string directory, int port, string key)
    {
        var knownHosts = Path.Join(directory, "known_hosts");
        await File.WriteAllTextAsync(knownHosts, $"[127.0.0.1]:{port.ToString(CultureInfo.InvariantCulture)} {key}\n");
        var (killed, output) = await ExternalTool.RunAsync(
            "ssh",
            [
                "-v", "-F", "/dev/null",
                "-o", "StrictHostKeyChecking=yes", "-o", $"UserKnownHostsFile={knownHosts}", "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "KexAlgorithms=diffie-hellman-group14-sha256", "-o", "HostKeyAlgorithms=ssh-ed25519",
                "-o", "BatchMode=yes", "-o", "ConnectTimeout=10",
                "-p", port.ToString(CultureInfo.InvariantCulture), "x@127.0.0.1", "true",
            ],
            TimeSpan.FromSeconds(20));
        Assert.False(killed, "ssh did not finish:\n" + output);
        return output;
    }

    /// <summary>An ECDSA P-256 and an Ed25519 host key pair in <paramref name="directory"/>, as sshd's; their MD5 fingerprints in nmap's order.</summary>
    private static async Task<List<string>> MakeHostKeysAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        await Cli.Wrap("ssh-keygen").WithArguments(["-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f", Path.Join(directory, "ssh_host_ecdsa_key")]).ExecuteAsync();
        await Cli.Wrap("ssh-keygen").WithArguments(["-q", "-t", "ed25519", "-N", "", "-f", Path.Join(directory, "ssh_host_ed25519_key")]).ExecuteAsync();
        return
        [
            .. await FingerprintsOfAsync(Path.Join(directory, SshHostKeysConfig.EcdsaFile)),
            .. await FingerprintsOfAsync(Path.Join(directory, SshHostKeysConfig.Ed25519File)),
        ];
    }

    /// <summary><c>ssh-keygen -l -E md5</c> of each key in a public key file, as nmap prints it (hex without colons).</summary>
    private static async Task<List<string>> FingerprintsOfAsync(string publicKeyFile)
    {
        var output = new System.Text.StringBuilder();
        await Cli.Wrap("ssh-keygen").WithArguments(["-l", "-E", "md5", "-f", publicKeyFile]).WithStandardOutputPipe(PipeTarget.ToStringBuilder(output)).ExecuteAsync();
        return [.. output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[1]["MD5:".Length..].Replace(":", string.Empty, StringComparison.Ordinal))];
    }
}
