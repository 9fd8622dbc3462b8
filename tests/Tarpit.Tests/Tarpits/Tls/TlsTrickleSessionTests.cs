using System.Net;
using Tarpit.Config;
using Tarpit.Tarpits;
using Tarpit.Tarpits.Tls;

namespace Tarpit.Tests.Tarpits.Tls;

/// <summary>A client that sends its ClientHello a byte at a time gets exactly what one sending it at once gets.</summary>
public sealed class TlsTrickleSessionTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    [Theory]
    [InlineData("endless-hello-request", 0)]
    [InlineData("endless-hello-request", 9)]
    [InlineData("slow-hello", 0)]
    [InlineData("slow-hello", 9)]
    public void A_hello_trickled_a_byte_per_read_gets_what_the_whole_hello_gets(string mode, int recordSplit)
    {
        var hello = ClientHelloBuilder.Build(recordSplit: recordSplit, keyShare: true);

        // One mode for both: it makes its certificate and keys once, at start.
        var tarpit = Mode(mode);
        var whole = Run(tarpit, hello, hello.Length);
        var trickled = Run(tarpit, hello, 1);

        Assert.Equal(whole.Steps, trickled.Steps);
        Assert.Equal(whole.Details, trickled.Details);
        Assert.Equal(1, trickled.Verified);
        Assert.Equal("example.org", trickled.Details["tls.sni"]);
    }

    [Fact]
    public void A_hello_trickled_forever_is_closed_unanswered_at_the_hello_timeout()
    {
        var harness = new SessionHarness();
        var session = Open("slow-hello");
        harness.Step(session);
        byte[] head = [22, 3, 1, 0x3E, 0x80, 1, 0, 0x3E, 0x7C, 3, 3];
        var started = harness.Elapsed;
        (SessionStep Step, byte[] Written) result;
        var sent = 0;
        do
        {
            var b = sent < head.Length ? head[sent] : (byte)0;
            sent++;
            result = harness.Step(session, new[] { b });
            Assert.Empty(result.Written);
            harness.Elapsed += Tick;
        }
        while (result.Step.Kind == SessionStepKind.AwaitInput && harness.Elapsed < TimeSpan.FromSeconds(70));

        Assert.Equal(SessionStepKind.Close, result.Step.Kind);
        Assert.Equal(TlsTarpit.HelloTimeout, harness.Elapsed - Tick - started);
        Assert.Equal(0, harness.VerifiedCount);
    }

    private static (List<string> Steps, Dictionary<string, string> Details, int Verified) Run(ITarpitMode tarpit, byte[] hello, int chunk)
    {
        var harness = new SessionHarness();
        var session = tarpit.Open(new SessionOpen(1, new IPEndPoint(IPAddress.Loopback, 40000), 443));
        harness.Step(session);
        var steps = new List<string>();

        // The whole head's one read comes when the trickled one's last byte does.
        harness.Elapsed = chunk == 1 ? TimeSpan.Zero : Tick * (hello.Length - 1);
        for (var i = 0; i < hello.Length; i += chunk)
        {
            var (step, written) = harness.Step(session, hello.AsSpan(i, Math.Min(chunk, hello.Length - i)));
            if (i + chunk < hello.Length)
            {
                Assert.Equal(SessionStepKind.AwaitInput, step.Kind);
                Assert.Empty(written);
                harness.Elapsed += Tick;
            }
            else
            {
                steps.Add($"{step.Kind} {step.Delay} {Convert.ToHexString(written)}");
            }
        }

        for (var i = 0; i < 40; i++)
        {
            var (step, written) = harness.Step(session);
            steps.Add($"{step.Kind} {step.Delay} {Convert.ToHexString(written)}");
        }

        return (steps, harness.Details, harness.VerifiedCount);
    }

    private static ITarpitSession Open(string mode) =>
        Mode(mode).Open(new SessionOpen(1, new IPEndPoint(IPAddress.Loopback, 40000), 443));

    private static ITarpitMode Mode(string mode) => TlsModes.Create(new TarpitConfig(
        "tls", TarpitProtocol.Tls, mode, [new IPEndPoint(IPAddress.Loopback, 0)], [], Decoy: false, VerifyClient: true,
        TimeSpan.FromSeconds(1), Banner: null, TimeSpan.FromSeconds(10), Jitter: 0.5, 16, TimeSpan.FromHours(1), 100, 10, Http: null));
}
