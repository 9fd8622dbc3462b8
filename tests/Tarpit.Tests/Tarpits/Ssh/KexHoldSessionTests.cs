using Tarpit.Tarpits;
using Tarpit.Tarpits.Ssh;

namespace Tarpit.Tests.Tarpits.Ssh;

public sealed class KexHoldSessionTests
{
    private const string BannerLine = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n";

    [Fact]
    public void The_banner_and_the_whole_KEXINIT_go_out_at_once_then_the_reply_drips_then_silence()
    {
        var config = SshTestConfig.Create("kex-hold");
        var session = SshSessionTesting.Open(config);
        var harness = new SessionHarness();

        var (firstStep, banner) = harness.Step(session);
        var (_, kexInit) = harness.Step(session, "SSH-2.0-OpenSSH_9.2p1\r\n"u8);
        byte[] first = [.. banner, .. kexInit];
        var drips = new List<byte[]>();
        for (var i = 0; i < (KexHoldStream.ReplyPacketLength / config.DripBytes) + 5; i++)
        {
            var (step, written) = harness.Step(session);
            Assert.Equal(SessionStepKind.After, step.Kind);
            SshSessionTesting.AssertWithinJitter(step.Delay, config.Interval, config.Jitter);
            drips.Add(written);
        }

        var reader = new SshWireReader(first);
        Assert.Equal(SessionStepKind.AwaitInput, firstStep.Kind);
        Assert.Equal(BannerLine.TrimEnd(), reader.ReadLine());
        Assert.Equal(SshPacket.MessageKexInit, reader.ReadPacket()[0]);
        Assert.Equal(0, reader.Remaining);
        Assert.Equal(KexHoldStream.ReplyPacketLength - 1, drips.Sum(d => d.Length));
        Assert.All(drips.TakeWhile(d => d.Length > 0).SkipLast(1), d => Assert.Equal(config.DripBytes, d.Length));
        Assert.Empty(drips[^1]);
    }

    [Fact]
    public void What_a_client_receives_is_banner_KEXINIT_and_an_unfinished_key_exchange_reply()
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
        Assert.Equal(KexHoldStream.ReplyPacketLength - 1, reader.Remaining);
        Assert.Equal(KexHoldStream.MessageKexReply, received[reader.Position + 5]);
    }

    [Fact]
    public void Bytes_the_kernel_did_not_take_are_sent_again()
    {
        var session = SshSessionTesting.Open(SshTestConfig.Create("kex-hold"));
        var harness = new SessionHarness();
        harness.Step(session);
        var (_, first) = harness.Step(session, "SSH-2.0-OpenSSH_9.2p1\r\n"u8);

        harness.NextLastSent = 0;
        var (_, again) = harness.Step(session);
        harness.NextLastSent = 10;
        var (_, rest) = harness.Step(session);

        Assert.Equal(first, again);
        Assert.Equal(first[10..], rest);
    }
}
