using System.Globalization;
using System.Text.RegularExpressions;
using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.Tarpits.Ssh;

/// <summary>
/// Issue 20 item 2: nmap's <c>ssh-hostkey</c> offers only finite-field DH groups and reads the host key from the
/// KEXDH_REPLY. Against Debian 12's sshd with its default host keys it prints an ECDSA and an ED25519 line (it asks
/// for <c>ssh-rsa</c>, which that sshd does not list, so no RSA line); the tarpit must print the same two.
/// </summary>
public sealed partial class NmapHostKeySystemTests
{
    [SystemFact(false, "nmap")]
    public Task Nmap_ssh_hostkey_and_ssh2_enum_algos_report_kex_hold_like_Debian_12s_sshd() => ScanTwiceAsync("kex-hold");

    private static async Task ScanTwiceAsync(string mode)
    {
        Prerequisites.Require(false, "nmap");
        await using var tarpit = await SshTarpitUnderTest.StartAsync(SshTarpitUnderTest.Config(mode, verifyClient: true, TimeSpan.FromMilliseconds(200)));

        var first = await ScanAsync(tarpit.Port);
        var second = await ScanAsync(tarpit.Port);

        Assert.Matches(@"open\s+ssh\s+OpenSSH 9\.2p1 Debian", first);
        Assert.Contains("kex_algorithms: (12)", first, StringComparison.Ordinal);
        var keys = HostKeyLine().Matches(first).Select(m => m.Groups["type"].Value + " " + m.Groups["bits"].Value).ToList();
        Assert.Equal(["ECDSA 256", "ED25519 256"], keys);
        Assert.Equal(Fingerprints(first), Fingerprints(second));
    }

    private static async Task<string> ScanAsync(int port)
    {
        string[] arguments =
        [
            // -sV names the port ssh (the scripts' port rule), as it would on port 22.
            "-Pn", "-n", "-sT", "-sV", "--version-light", "-p", port.ToString(CultureInfo.InvariantCulture),
            "--script", "ssh-hostkey,ssh2-enum-algos", "--host-timeout", "60s", "127.0.0.1",
        ];
        var (killed, output) = await ExternalTool.RunAsync("nmap", arguments, TimeSpan.FromSeconds(70));
        Assert.False(killed, "nmap did not finish:\n" + output);
        Assert.Contains("ssh-hostkey:", output, StringComparison.Ordinal);
        return output;
    }

    private static List<string> Fingerprints(string output) => [.. HostKeyLine().Matches(output).Select(m => m.Groups["fingerprint"].Value)];

    [GeneratedRegex(@"\|[ _]\s+(?<bits>\d+) (?<fingerprint>[0-9a-f]{32}) \((?<type>[A-Z0-9]+)\)")]
    private static partial Regex HostKeyLine();
}
