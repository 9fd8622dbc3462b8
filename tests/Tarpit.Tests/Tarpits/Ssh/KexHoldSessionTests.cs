using System.Text;
using Tarpit.Tarpits;
using Tarpit.Tarpits.Ssh;

namespace Tarpit.Tests.Tarpits.Ssh;

public sealed class KexHoldSessionTests
{
    private const string BannerLine = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n";

    [Fact]
    public void The_banner_goes_out_whole_then_the_stream_drips_drip_bytes_per_jittered_interval()
    {
        var config = SshTestConfig.Create("kex-hold");
        var session = SshSessionTesting.Open(config);
        var harness = new SessionHarness();

        var (firstStep, first) = harness.Step(session);
        var drips = new List<byte[]>();
        for (var i = 0; i < 200; i++)
        {
            var (step, written) = harness.Step(session);
            Assert.Equal(SessionStepKind.After, step.Kind);
            SshSessionTesting.AssertWithinJitter(step.Delay, config.Interval, config.Jitter);
            drips.Add(written);
        }

        Assert.Equal(SessionStepKind.After, firstStep.Kind);
        Assert.Equal(BannerLine.Length + config.DripBytes, first.Length);
        Assert.StartsWith(BannerLine, Encoding.ASCII.GetString(first), StringComparison.Ordinal);
        Assert.All(drips, d => Assert.Equal(config.DripBytes, d.Length));
    }

    [Fact]
    public void What_a_client_receives_parses_as_banner_KEXINIT_and_ignore_packets()
    {
        var config = SshTestConfig.Create("kex-hold") with { DripBytes = 100 };
        var session = SshSessionTesting.Open(config);
        var harness = new SessionHarness();
        var received = new List<byte>();

        for (var i = 0; i < 40; i++)
        {
            received.AddRange(harness.Step(session).Written);
        }

        var reader = new SshWireReader([.. received]);
        Assert.Equal(BannerLine.TrimEnd(), reader.ReadLine());
        Assert.Equal(SshPacket.MessageKexInit, reader.ReadPacket()[0]);
        while (reader.Remaining >= KexHoldStream.IgnorePacketLength)
        {
            Assert.Equal(SshPacket.MessageIgnore, reader.ReadPacket()[0]);
        }
    }

    [Fact]
    public void Bytes_the_kernel_did_not_take_are_sent_again()
    {
        var session = SshSessionTesting.Open(SshTestConfig.Create("kex-hold"));
        var harness = new SessionHarness();
        var (_, first) = harness.Step(session);

        harness.NextLastSent = 0;
        var (_, again) = harness.Step(session);
        harness.NextLastSent = 10;
        var (_, rest) = harness.Step(session);

        Assert.Equal(first, again);
        Assert.Equal(first[10..(10 + 16)], rest[..16]);
    }
}
