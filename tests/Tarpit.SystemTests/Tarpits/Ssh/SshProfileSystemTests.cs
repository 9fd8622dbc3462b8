using System.Globalization;
using System.Text;
using System.Text.Json;
using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.Tarpits.Ssh;

/// <summary>
/// Issue 20 item 3: the tarpit on a redirected port looks like the real sshd it stands in for. A private Debian sshd on
/// loopback is the real one; the tarpit reads it once at start (<c>banner = "auto"</c>), and scanners compare.
/// </summary>
public sealed class SshProfileSystemTests
{
    private static readonly TimeSpan FastInterval = TimeSpan.FromMilliseconds(200);

    [SystemFact(true, "/usr/sbin/sshd", "ssh-keygen", "ssh-audit")]
    public async Task Ssh_audit_reports_the_same_banner_and_algorithm_lists_on_kex_hold_as_on_the_real_sshd()
    {
        Prerequisites.Require(true, "/usr/sbin/sshd", "ssh-keygen", "ssh-audit");
        var directory = Directory.CreateTempSubdirectory("tarpit-ssh-profile-");
        try
        {
            await using var sshd = await RealSshd.StartOnLoopbackAsync(directory.FullName, CancellationToken.None);
            // ssh-audit's -t 2 is per read, so drips must come slower than that for it to give up on the reply and report.
            await using var tarpit = await SshTarpitUnderTest.StartAsync(
                SshTarpitUnderTest.Config("kex-hold", verifyClient: true, TimeSpan.FromSeconds(3), jitter: 0, banner: "auto", redirectPort: sshd.Port));

            var real = await AuditAsync(sshd.Port);
            var held = await AuditAsync(tarpit.Port);

            Assert.Contains("kex-strict-s-v00@openssh.com", real["kex"], StringComparison.Ordinal);
            Assert.Contains("sntrup761x25519-sha512@openssh.com", real["kex"], StringComparison.Ordinal);
            Assert.Equal(real, held);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [SystemFact(false, "nmap")]
    public async Task Nmap_ssh2_enum_algos_completes_on_kex_hold_and_lists_Debian_12s_kex()
    {
        Prerequisites.Require(false, "nmap");
        await using var tarpit = await SshTarpitUnderTest.StartAsync(SshTarpitUnderTest.Config("kex-hold", verifyClient: true, FastInterval));
        string[] arguments =
        [
            // -sV names the port ssh (the script's port rule), as it would on port 22.
            "-Pn", "-n", "-sT", "-sV", "--version-light", "-p", tarpit.Port.ToString(CultureInfo.InvariantCulture),
            "--script", "ssh2-enum-algos", "--host-timeout", "60s", "127.0.0.1",
        ];

        var (killed, output) = await ExternalTool.RunAsync("nmap", arguments, TimeSpan.FromSeconds(60));

        Assert.False(killed, "nmap did not finish:\n" + output);
        Assert.Matches(@"open\s+ssh\s+OpenSSH 9\.2p1 Debian", output);
        Assert.Contains("kex_algorithms: (12)", output, StringComparison.Ordinal);
        Assert.Contains("sntrup761x25519-sha512@openssh.com", output, StringComparison.Ordinal);
        Assert.Contains("kex-strict-s-v00@openssh.com", output, StringComparison.Ordinal);
        Assert.Contains("encryption_algorithms: (6)", output, StringComparison.Ordinal);
    }

    [SystemFact(true, "/usr/sbin/sshd", "ssh-keygen")]
    public async Task An_HTTP_request_line_gets_the_same_answer_from_the_tarpit_as_from_the_real_sshd()
    {
        Prerequisites.Require(true, "/usr/sbin/sshd", "ssh-keygen");
        var directory = Directory.CreateTempSubdirectory("tarpit-ssh-http-");
        try
        {
            await using var sshd = await RealSshd.StartOnLoopbackAsync(directory.FullName, CancellationToken.None);
            await using var tarpit = await SshTarpitUnderTest.StartAsync(
                SshTarpitUnderTest.Config("endless-banner", verifyClient: true, FastInterval, banner: "auto", redirectPort: sshd.Port));
            // One line: sshd reads the first line only, and closing with more unread makes its kernel send a reset,
            // which may discard its answer on the way.
            var request = "GET / HTTP/1.0\r\n"u8.ToArray();

            var real = await SshHoldSystemTests.ExchangeAsync(sshd.Port, request, TimeSpan.FromSeconds(10));
            var held = await SshHoldSystemTests.ExchangeAsync(tarpit.Port, request, TimeSpan.FromSeconds(10));

            Assert.EndsWith("\r\nInvalid SSH identification string.\r\n", real, StringComparison.Ordinal);
            Assert.Equal(real, held);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>ssh-audit's JSON view of a server: its banner and each algorithm list, in order.</summary>
    private static async Task<Dictionary<string, string>> AuditAsync(int port)
    {
        var (killed, output) = await ExternalTool.RunAsync(
            "ssh-audit", ["-j", "-t", "2", "-p", port.ToString(CultureInfo.InvariantCulture), "127.0.0.1"], TimeSpan.FromSeconds(40));
        Assert.False(killed, "ssh-audit did not finish:\n" + output);
        var start = output.IndexOf('{', StringComparison.Ordinal);
        Assert.True(start >= 0, "ssh-audit printed no JSON:\n" + output);
        var json = output[start..];
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var view = new Dictionary<string, string> { ["banner"] = root.GetProperty("banner").GetProperty("raw").GetString() ?? "" };
        foreach (var list in new[] { "kex", "key", "enc", "mac" })
        {
            var names = new StringBuilder();
            foreach (var item in root.GetProperty(list).EnumerateArray())
            {
                // kex and key entries are objects with notes; enc and mac entries are plain names.
                var name = item.ValueKind == JsonValueKind.String ? item.GetString() : item.GetProperty("algorithm").GetString();
                names.Append(name).Append(',');
            }

            view[list] = names.ToString();
        }

        view["compression"] = root.GetProperty("compression").ToString();
        return view;
    }
}
