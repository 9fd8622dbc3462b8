using CliWrap;
using Tarpit.SystemTests.Infrastructure;
using Tarpit.Tests.Detection.Sshd;

namespace Tarpit.SystemTests.Detection;

/// <summary>
/// A real sshd (Debian's, logging through syslog so lines carry pids) in a test namespace, several configs, real
/// <c>ssh</c> clients: the attacker (192.0.2.2, 2001:db8:1::2) tries wrong passwords, unknown and refused users, too
/// many keys, probes that never log in; the admin (198.51.100.2) logs in with a key after offering wrong ones. What
/// sshd wrote is judged in every mode: the attacker is charged, the admin never (<see cref="SshdCorpus"/>). Set
/// <c>TARPIT_SSHD_FIXTURES=DIR</c> to keep the recordings (temp paths replaced) as the fast suite's fixtures.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SshdCorpusTests
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(60);

    [SystemFact(true, "/usr/sbin/sshd", "ssh", "ssh-keygen", "unshare", "python3")]
    public Task Passwords_unknown_users_and_too_many_keys_at_log_level_info() =>
        RunAsync("info-password-publickey", ["LogLevel INFO", "MaxAuthTries 3", "PasswordAuthentication yes", "PermitRootLogin yes"], async scene =>
        {
            await scene.AttackAsync(["-o", "PreferredAuthentications=password", "-o", "NumberOfPasswordPrompts=4"], "root", TestNetwork.ServerV4ForAttacker);
            await scene.AttackAsync(["-o", "PreferredAuthentications=password", "-o", "NumberOfPasswordPrompts=2"], "oracle", TestNetwork.ServerV6ForAttacker);
            await scene.AttackAsync(["-o", "PreferredAuthentications=publickey", .. scene.WrongKeys(5)], "admin", TestNetwork.ServerV4ForAttacker);
            await scene.AdminLogsInAsync(wrongKeys: 2);
        });

    [SystemFact(true, "/usr/sbin/sshd", "ssh", "ssh-keygen", "unshare", "python3")]
    public Task Allow_and_deny_users_and_a_verbose_admin_login_after_wrong_keys() =>
        RunAsync("verbose-allow-deny-users", ["LogLevel VERBOSE", "PasswordAuthentication yes", "PermitRootLogin yes", "AllowUsers root daemon bin", "DenyUsers daemon"], async scene =>
        {
            await scene.AttackAsync(["-o", "PreferredAuthentications=password", "-o", "NumberOfPasswordPrompts=1"], "daemon", TestNetwork.ServerV4ForAttacker);
            await scene.AttackAsync(["-o", "PreferredAuthentications=password", "-o", "NumberOfPasswordPrompts=1"], "nobody", TestNetwork.ServerV4ForAttacker);
            await scene.AttackAsync(["-o", "PreferredAuthentications=password", "-o", "NumberOfPasswordPrompts=2"], "test from 198.51.100.2 port 22 ssh2", TestNetwork.ServerV4ForAttacker);
            await scene.AdminLogsInAsync(wrongKeys: 4);
        });

    [SystemFact(true, "/usr/sbin/sshd", "ssh", "ssh-keygen", "unshare", "python3")]
    public Task Keyboard_interactive_through_pam() =>
        RunAsync("pam-keyboard-interactive", ["LogLevel INFO", "UsePAM yes", "KbdInteractiveAuthentication yes", "PasswordAuthentication no", "PermitRootLogin yes"], async scene =>
        {
            await scene.AttackAsync(["-o", "PreferredAuthentications=keyboard-interactive", "-o", "NumberOfPasswordPrompts=2"], "root", TestNetwork.ServerV4ForAttacker);
            await scene.AttackAsync(["-o", "PreferredAuthentications=keyboard-interactive", "-o", "NumberOfPasswordPrompts=1"], "nosuchuser", TestNetwork.ServerV4ForAttacker);
            await scene.AdminLogsInAsync(wrongKeys: 1);
        });

    [SystemFact(true, "/usr/sbin/sshd", "ssh", "ssh-keygen", "unshare", "python3")]
    public Task Probes_that_never_log_in() =>
        RunAsync("probes", ["LogLevel INFO"], async scene =>
        {
            await scene.ProbeAsync("");
            await scene.ProbeAsync("GET / HTTP/1.0\r\n\r\n");
            await scene.AttackAsync(["-o", "KexAlgorithms=diffie-hellman-group1-sha1"], "root", TestNetwork.ServerV4ForAttacker);
            await scene.AttackAsync(["-o", "PreferredAuthentications=none"], "guest", TestNetwork.ServerV4ForAttacker);
            await scene.AdminLogsInAsync(wrongKeys: 0);
        });

    private static async Task RunAsync(string scenario, string[] config, Func<Scene, Task> act)
    {
        Prerequisites.Require(true, "/usr/sbin/sshd", "ssh", "ssh-keygen", "unshare", "python3");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var directory = Directory.CreateTempSubdirectory("tarpit-sshd-corpus-").FullName;
        try
        {
            await using var network = await TestNetwork.CreateAsync(cts.Token);
            var scene = await Scene.CreateAsync(network, directory, cts.Token);
            string[] lines;
            await using (var sshd = await SyslogSshd.StartAsync(network.Server, directory, [.. scene.BaseConfig, .. config], cts.Token))
            {
                scene.Sshd = sshd;
                await act(scene);
                await sshd.WaitForAsync("198.51.100.2", 1, cts.Token);
                await Task.Delay(TimeSpan.FromSeconds(1), cts.Token); // the last connection's closing lines
                lines = [.. sshd.Lines.Select(l => l.Replace(directory, "/etc/ssh/tarpit-test", StringComparison.Ordinal))];
            }

            if (Environment.GetEnvironmentVariable("TARPIT_SSHD_FIXTURES") is { Length: > 0 } fixtures)
            {
                await File.WriteAllLinesAsync(Path.Combine(fixtures, scenario + ".log"), lines, cts.Token);
            }

            SshdCorpus.AssertJudged(scenario, lines);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The clients' side: keys, an askpass that answers a wrong password, and the ssh command lines.</summary>
    private sealed class Scene(TestNetwork network, string directory, CancellationToken cancellationToken)
    {
        private const int MaxWrongKeys = 6;

        private static readonly string[] KeyNames = ["host_key", "admin_key", .. Enumerable.Range(0, MaxWrongKeys).Select(i => $"wrong_key{i}")];

        public SyslogSshd? Sshd { get; set; }

        public string[] BaseConfig =>
        [
            "Port 22", "ListenAddress 0.0.0.0", "ListenAddress ::", $"HostKey {Path.Combine(directory, "host_key")}", "PidFile none",
            "StrictModes no", $"AuthorizedKeysFile {Path.Combine(directory, "authorized_keys")}", "MaxStartups 100",
        ];

        public static async Task<Scene> CreateAsync(TestNetwork network, string directory, CancellationToken cancellationToken)
        {
            foreach (var key in KeyNames)
            {
                await Cli.Wrap("ssh-keygen").WithArguments(["-q", "-t", "ed25519", "-N", "", "-C", key, "-f", Path.Combine(directory, key)]).ExecuteAsync(cancellationToken);
            }

            File.Copy(Path.Combine(directory, "admin_key.pub"), Path.Combine(directory, "authorized_keys"));
            var askpass = Path.Combine(directory, "askpass");
            await File.WriteAllTextAsync(askpass, "#!/bin/sh\necho 'not-the-password-" + Guid.NewGuid().ToString("N") + "'\n", cancellationToken);
            File.SetUnixFileMode(askpass, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            return new Scene(network, directory, cancellationToken);
        }

        public string[] WrongKeys(int count) =>
            [.. Enumerable.Range(0, count).SelectMany(i => new[] { "-i", Path.Combine(directory, $"wrong_key{i}") })];

        public Task AttackAsync(string[] options, string user, string server) => SshAsync(network.Attacker, options, user, server, expectSuccess: false);

        /// <summary>The admin: offers wrong keys first (VERBOSE logs each), then the right one, and runs a command.</summary>
        public Task AdminLogsInAsync(int wrongKeys) =>
            SshAsync(network.Innocent, ["-o", "PreferredAuthentications=publickey", .. WrongKeys(wrongKeys), "-i", Path.Combine(directory, "admin_key")], "root", TestNetwork.ServerV4ForInnocent, expectSuccess: true);

        /// <summary>A TCP client that sends <paramref name="text"/> (maybe nothing) instead of an SSH banner and closes.</summary>
        public async Task ProbeAsync(string text)
        {
            var script = "import socket,sys,time\ns=socket.create_connection(('" + TestNetwork.ServerV4ForAttacker + "',22),10)\ns.sendall(sys.argv[1].encode())\ntime.sleep(0.5)\ns.close()\n";
            var (code, output) = await TestNetwork.ExecAsync(network.Attacker, ["python3", "-c", script, text], ClientTimeout, cancellationToken);
            Assert.True(code == 0, output);
            await Task.Delay(500, cancellationToken);
        }

        private async Task SshAsync(string netns, string[] options, string user, string server, bool expectSuccess)
        {
            var before = Sshd!.Lines.Count;
            var (code, output) = await TestNetwork.ExecAsync(
                netns,
                ["env", $"SSH_ASKPASS={Path.Combine(directory, "askpass")}", "SSH_ASKPASS_REQUIRE=force", "ssh",
                 "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes", "-o", "ConnectTimeout=10",
                 "-o", "LogLevel=ERROR", .. options, "-l", user, server, "true"],
                ClientTimeout,
                cancellationToken);
            Assert.True(expectSuccess ? code == 0 : code != 0, $"ssh as {user} exited {code}: {output}");

            // sshd logs the connection's end after the client is gone: wait for it before the next client
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (DateTime.UtcNow < deadline && !Sshd.Lines.Skip(before).Any(IsEnd))
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        private static bool IsEnd(string line) =>
            line.Contains("Connection closed", StringComparison.Ordinal) || line.Contains("Disconnected from", StringComparison.Ordinal)
            || line.Contains("Unable to negotiate", StringComparison.Ordinal) || line.Contains("Connection reset", StringComparison.Ordinal)
            || line.Contains("Too many authentication failures", StringComparison.Ordinal);
    }
}
