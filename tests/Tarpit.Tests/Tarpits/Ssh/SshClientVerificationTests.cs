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
        var (_, drip) = harness.Step(session);

        Assert.Equal(1, harness.VerifiedCount);
        Assert.Null(harness.FirstBytes);
        Assert.StartsWith(config.Banner + "\r\n", Encoding.ASCII.GetString(written), StringComparison.Ordinal);
        Assert.Equal(SessionStepKind.After, step.Kind);
        Assert.Equal(config.DripBytes, drip.Length);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("\x16\x03\x01\x00\xa5\x01\x00\x00")]
    [InlineData("\r\n")]
    public void Garbage_is_closed_after_a_short_random_delay_without_verification(string received)
    {
        var session = SshSessionTesting.Open(SshTestConfig.Create("kex-hold", verifyClient: true));
        var harness = new SessionHarness();
        var bytes = Encoding.Latin1.GetBytes(received);

        harness.Step(session);
        var (step, written) = harness.Step(session, bytes);

        Assert.Equal(SessionStepKind.CloseAfter, step.Kind);
        Assert.InRange(step.Delay, SshClientVerifier.GarbageCloseMin, SshClientVerifier.GarbageCloseMax);
        Assert.Empty(written);
        Assert.Equal(0, harness.VerifiedCount);
        Assert.Equal(bytes, harness.FirstBytes);
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
        Assert.Equal(SessionStepKind.After, step.Kind);
        Assert.StartsWith("SSH-2.0-OpenSSH_9.2p1", Encoding.ASCII.GetString(written), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_verification_the_mode_starts_at_once()
    {
        var session = SshSessionTesting.Open(SshTestConfig.Create("kex-hold", verifyClient: false));
        var harness = new SessionHarness();

        var (step, written) = harness.Step(session);

        Assert.Equal(SessionStepKind.After, step.Kind);
        Assert.StartsWith("SSH-2.0-OpenSSH_9.2p1", Encoding.ASCII.GetString(written), StringComparison.Ordinal);
        Assert.Equal(0, harness.VerifiedCount);
    }

}
