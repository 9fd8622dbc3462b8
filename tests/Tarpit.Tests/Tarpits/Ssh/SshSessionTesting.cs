using System.Net;
using Tarpit.Config;
using Tarpit.Tarpits;
using Tarpit.Tarpits.Ssh;

namespace Tarpit.Tests.Tarpits.Ssh;

/// <summary>Opens SSH sessions the way the engine does, for the session tests.</summary>
internal static class SshSessionTesting
{
    public static ITarpitSession Open(TarpitConfig config, long connectionId = 1) =>
        SshModes.Create(config).Open(new SessionOpen(connectionId, new IPEndPoint(IPAddress.Parse("192.0.2.7"), 50022), null));

    public static void AssertPreambleLine(byte[] line)
    {
        Assert.InRange(line.Length, PreambleLine.MinLength, PreambleLine.MaxLength);
        Assert.True(line.AsSpan().EndsWith("\r\n"u8));
        Assert.False(line.AsSpan().StartsWith("SSH-"u8));
        Assert.DoesNotContain((byte)'\n', line[..^1]);
    }

    public static void AssertWithinJitter(TimeSpan delay, TimeSpan interval, double jitter) =>
        Assert.InRange(delay, interval * (1 - jitter), interval * (1 + jitter));
}
