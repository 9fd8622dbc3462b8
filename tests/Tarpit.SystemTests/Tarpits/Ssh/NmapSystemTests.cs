using System.Globalization;
using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.Tarpits.Ssh;

public sealed class NmapSystemTests
{
    [SystemFact(false, "nmap")]
    public async Task Nmap_version_scan_of_a_verifying_endless_banner_reports_OpenSSH_9_2p1()
    {
        Prerequisites.Require(false, "nmap");
        await using var tarpit = await SshTarpitUnderTest.StartAsync(SshTarpitUnderTest.Config("endless-banner", verifyClient: true));
        string[] arguments =
        [
            "-sV", "-Pn", "-n", "-sT",
            "-p", tarpit.Port.ToString(CultureInfo.InvariantCulture),
            "--max-retries", "1", "--host-timeout", "60s",
            "127.0.0.1",
        ];

        var (killed, output) = await ExternalTool.RunAsync("nmap", arguments, TimeSpan.FromSeconds(90));

        Assert.False(killed, "nmap did not finish:\n" + output);
        Assert.Matches(@"open\s+ssh\s+OpenSSH 9\.2p1", output);
    }
}
