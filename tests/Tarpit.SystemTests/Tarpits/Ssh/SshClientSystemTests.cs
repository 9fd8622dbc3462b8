using Tarpit.SystemTests.Infrastructure;
using Tarpit.Tarpits.Events;

namespace Tarpit.SystemTests.Tarpits.Ssh;

public sealed class SshClientSystemTests
{
    private static readonly TimeSpan HoldFor = TimeSpan.FromSeconds(8);

    [SystemFact(false, "ssh")]
    public async Task OpenSSH_reads_endless_banner_lines_and_never_gets_a_protocol_version()
    {
        Prerequisites.Require(false, "ssh");
        await using var tarpit = await SshTarpitUnderTest.StartAsync(SshTarpitUnderTest.Config("endless-banner"));

        var (killed, output) = await ExternalTool.RunAsync("ssh", ExternalTool.SshArguments(tarpit.Port), HoldFor);

        Assert.True(killed, "ssh exited on its own:\n" + output);
        Assert.Contains("banner line 0:", output, StringComparison.Ordinal);
        Assert.Contains("banner line 10:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Remote protocol version", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Connection closed", output, StringComparison.Ordinal);
    }

    [SystemFact(false, "ssh")]
    public async Task OpenSSH_stays_in_key_exchange_on_kex_hold_without_error()
    {
        Prerequisites.Require(false, "ssh");
        await using var tarpit = await SshTarpitUnderTest.StartAsync(SshTarpitUnderTest.Config("kex-hold"));

        var (killed, output) = await ExternalTool.RunAsync("ssh", ExternalTool.SshArguments(tarpit.Port), HoldFor);

        Assert.True(killed, "ssh exited on its own:\n" + output);
        Assert.Contains("Remote protocol version 2.0, remote software version OpenSSH_9.2p1", output, StringComparison.Ordinal);
        Assert.Contains("SSH2_MSG_KEXINIT sent", output, StringComparison.Ordinal);
        Assert.Contains("SSH2_MSG_KEXINIT received", output, StringComparison.Ordinal);
        Assert.Contains("expecting SSH2_MSG_KEX_ECDH_REPLY", output, StringComparison.Ordinal);
        Assert.DoesNotContain("receive packet: type 2\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("strict KEX violation", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Disconnect", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Connection closed", output, StringComparison.Ordinal);
        Assert.DoesNotContain("error", output, StringComparison.OrdinalIgnoreCase);
    }

    [SystemFact(false, "ssh")]
    public async Task OpenSSH_speaks_first_so_verification_records_its_version_and_holds_it()
    {
        Prerequisites.Require(false, "ssh");
        await using var tarpit = await SshTarpitUnderTest.StartAsync(SshTarpitUnderTest.Config("kex-hold", verifyClient: true));

        var (killed, output) = await ExternalTool.RunAsync("ssh", ExternalTool.SshArguments(tarpit.Port), HoldFor);

        Assert.True(killed, "ssh exited on its own:\n" + output);
        Assert.Contains("SSH2_MSG_KEXINIT received", output, StringComparison.Ordinal);
        var verified = Assert.Single(tarpit.OfKind(ConnectionEventKind.Verified));
        Assert.StartsWith("SSH-2.0-OpenSSH_", verified.FirstBytes, StringComparison.Ordinal);
    }
}
