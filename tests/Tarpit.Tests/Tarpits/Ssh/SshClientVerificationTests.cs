using System.Text;
using Tarpit.Tarpits;
using Tarpit.Tarpits.Ssh;

namespace Tarpit.Tests.Tarpits.Ssh;

public sealed class SshClientVerificationTests
{
    private const string ClientVersion = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10";

    [Fact]
    public void A_client_that_speaks_first_is_verified_recorded_and_given_the_configured_mode()
    {
        var config = SshTestConfig.Create("endless-banner", verifyClient: true);
        var session = SshSessionTesting.Open(config);
        var harness = new SessionHarness();

        var (wait, nothing) = harness.Step(session);
        harness.Elapsed = TimeSpan.FromMilliseconds(300);
        var (step, line) = harness.Step(session, Encoding.ASCII.GetBytes(ClientVersion + "\r\n"));

        Assert.Equal(SessionStepKind.AwaitInput, wait.Kind);
        SshSessionTesting.AssertWithinJitter(wait.Delay, config.ProbeDelay, config.Jitter);
        Assert.Empty(nothing);
        Assert.Equal(1, harness.VerifiedCount);
        Assert.Equal(ClientVersion, Encoding.ASCII.GetString(harness.FirstBytes!));
        Assert.Equal(ClientVersion, harness.Details[SshClientVerifier.ClientVersionKey]);
        Assert.Equal(SessionStepKind.After, step.Kind);
        SshSessionTesting.AssertWithinJitter(step.Delay, config.Interval, config.Jitter);
        Assert.Empty(line);
    }

    [Theory]
    [InlineData("SSH-2.0-Go")]
    [InlineData("SSH-2.0-paramiko_2.12.0")]
    [InlineData("SSH-2.0-AsyncSSH_2.10.1")]
    [InlineData("SSH-2.0-libssh_0.10.6")]
    [InlineData("SSH-2.0-libssh2_1.10.0")]
    [InlineData("SSH-2.0-JSCH-0.1.54")]
    public void Endless_banner_sends_a_library_that_caps_the_preamble_to_kex_hold(string clientVersion)
    {
        var config = SshTestConfig.Create("endless-banner", verifyClient: true);
        var session = SshSessionTesting.Open(config);
        var harness = new SessionHarness();

        harness.Step(session);
        var (step, written) = harness.Step(session, Encoding.ASCII.GetBytes(clientVersion + "\r\n"));

        Assert.Equal(SessionStepKind.AwaitInput, step.Kind);
        var reader = new SshWireReader(written);
        Assert.Equal(config.Banner, reader.ReadLine());
        Assert.Equal(SshPacket.MessageKexInit, reader.ReadPacket()[0]);
        Assert.Equal(clientVersion, harness.Details[SshClientVerifier.ClientVersionKey]);
    }

    [Theory]
    [InlineData("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10")]
    [InlineData("SSH-2.0-PuTTY_Release_0.78")]
    [InlineData("SSH-2.0-Gone_1.0")]
    public void Endless_banner_keeps_other_clients_in_the_preamble(string clientVersion)
    {
        var session = SshSessionTesting.Open(SshTestConfig.Create("endless-banner", verifyClient: true));
        var harness = new SessionHarness();

        harness.Step(session);
        var (_, silence) = harness.Step(session, Encoding.ASCII.GetBytes(clientVersion + "\r\n"));
        var (_, line) = harness.Step(session);

        Assert.Empty(silence);
        SshSessionTesting.AssertPreambleLine(line);
    }

    [Fact]
    public void Silent_client_is_shown_an_OpenSSH_banner_after_the_probe_delay()
    {
        var config = SshTestConfig.Create("endless-banner", verifyClient: true);
        var session = SshSessionTesting.Open(config);
        var harness = new SessionHarness();

        var (wait, _) = harness.Step(session);
        harness.Elapsed = wait.Delay;
        var (step, written) = harness.Step(session, inputTimedOut: true);
        var (_, kexInit) = harness.Step(session, "SSH-2.0-Nmap-SSH2-Hostkey\r\n"u8);
        var (_, drip) = harness.Step(session);

        Assert.Equal(1, harness.VerifiedCount);
        Assert.Null(harness.FirstBytes);
        // As sshd: the banner alone, the KEXINIT once the client's identification line is in.
        Assert.Equal(config.Banner + "\r\n", Encoding.ASCII.GetString(written));
        Assert.Equal(SshPacket.MessageKexInit, new SshWireReader(kexInit).ReadPacket()[0]);
        Assert.Equal(SessionStepKind.AwaitInput, step.Kind);
        Assert.Equal(config.DripBytes, drip.Length);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("\x16\x03\x01\x00\xa5\x01\x00\x00")]
    [InlineData("\r\n")]
    [InlineData("SSH-\r\n")]
    [InlineData("SSH-2.0-x\rX")]
    public void Garbage_gets_sshds_banner_and_Invalid_SSH_identification_string_then_a_close_without_verification(string received)
    {
        var config = SshTestConfig.Create("kex-hold", verifyClient: true);
        var session = SshSessionTesting.Open(config);
        var harness = new SessionHarness();
        var bytes = Encoding.Latin1.GetBytes(received);

        harness.Step(session);
        var (step, written) = harness.Step(session, bytes);

        Assert.Equal(SessionStepKind.Close, step.Kind);
        Assert.Equal(config.Banner + "\r\nInvalid SSH identification string.\r\n", Encoding.ASCII.GetString(written));
        Assert.Equal(0, harness.VerifiedCount);
        Assert.Equal(bytes, harness.FirstBytes);
    }

    [Fact]
    public void A_line_that_is_not_SSH_is_judged_when_it_ends_as_sshd_does()
    {
        var session = SshSessionTesting.Open(SshTestConfig.Create("kex-hold", verifyClient: true));
        var harness = new SessionHarness();

        harness.Step(session);
        var (partWait, partWritten) = harness.Step(session, "GET / HT"u8);
        var (step, written) = harness.Step(session, "TP/1.0\r\n"u8);

        Assert.Equal(SessionStepKind.AwaitInput, partWait.Kind);
        Assert.Empty(partWritten);
        Assert.Equal(SessionStepKind.Close, step.Kind);
        Assert.EndsWith("\r\nInvalid SSH identification string.\r\n", Encoding.ASCII.GetString(written), StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_line_split_across_reads_is_awaited_with_the_rest_of_the_deadline()
    {
        var session = SshSessionTesting.Open(SshTestConfig.Create("kex-hold", verifyClient: true));
        var harness = new SessionHarness();

        var (wait, _) = harness.Step(session);
        harness.Elapsed = TimeSpan.FromMilliseconds(500);
        var (partWait, partWritten) = harness.Step(session, "SSH-2.0"u8);
        var (step, written) = harness.Step(session, "-x\r\n"u8);

        Assert.Equal(SessionStepKind.AwaitInput, partWait.Kind);
        Assert.Equal(wait.Delay - TimeSpan.FromMilliseconds(500), partWait.Delay);
        Assert.Empty(partWritten);
        Assert.Equal("SSH-2.0"u8.ToArray(), harness.FirstBytes);
        Assert.Equal(1, harness.VerifiedCount);
        Assert.Equal(SessionStepKind.AwaitInput, step.Kind);
        Assert.StartsWith("SSH-2.0-OpenSSH_9.2p1", Encoding.ASCII.GetString(written), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SSH-2.0-Open|SSH_9.2\r\n")]
    [InlineData("SSH-2.0-OpenSSH_9.2\r|\n")]
    [InlineData("S|SH-|2.0-|OpenSSH_9.2|\r\n")]
    public void A_version_line_in_pieces_is_captured_whole(string pieces)
    {
        var session = SshSessionTesting.Open(SshTestConfig.Create("kex-hold", verifyClient: true));
        var harness = new SessionHarness();

        harness.Step(session);
        foreach (var piece in pieces.Split('|'))
        {
            harness.Step(session, Encoding.ASCII.GetBytes(piece));
        }

        var capture = Assert.Single(harness.Published, p => p.Key == CaptureKeys.Ssh);
        Assert.Contains("\"identification\":\"SSH-2.0-OpenSSH_9.2\"", capture.Value, StringComparison.Ordinal);
        Assert.Equal("SSH-2.0-OpenSSH_9.2", harness.Details[SshClientVerifier.ClientVersionKey]);
        Assert.Equal(1, harness.VerifiedCount);
    }

    [Fact]
    public void A_line_in_pieces_longer_than_RFC_4253_allows_is_refused_and_nothing_is_captured()
    {
        var session = SshSessionTesting.Open(SshTestConfig.Create("kex-hold", verifyClient: true));
        var harness = new SessionHarness();

        harness.Step(session);
        harness.Step(session, "SSH-2.0-"u8);
        var (step, _) = harness.Step(session, Encoding.ASCII.GetBytes(new string('x', ClientIdentification.MaxLineLength)));

        Assert.Equal(SessionStepKind.Close, step.Kind);
        Assert.DoesNotContain(harness.Published, p => p.Key == CaptureKeys.Ssh);
    }

    [Fact]
    public void Without_verification_the_mode_starts_at_once()
    {
        var session = SshSessionTesting.Open(SshTestConfig.Create("kex-hold", verifyClient: false));
        var harness = new SessionHarness();

        var (step, written) = harness.Step(session);

        Assert.Equal(SessionStepKind.AwaitInput, step.Kind);
        Assert.StartsWith("SSH-2.0-OpenSSH_9.2p1", Encoding.ASCII.GetString(written), StringComparison.Ordinal);
        Assert.Equal(0, harness.VerifiedCount);
    }

}
