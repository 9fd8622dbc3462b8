using System.Net;
using System.Text;
using Tarpit.Tarpits;
using Tarpit.Tarpits.Http;

namespace Tarpit.Tests.Tarpits.Http;

/// <summary>A client that sends its request head a byte at a time gets exactly what one sending it at once gets.</summary>
public sealed class HttpTrickleSessionTests
{
    private const long BombSize = 1 << 20;

    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    [Theory]
    [InlineData("endless-header")]
    [InlineData("drip")]
    [InlineData("fake-auth")]
    [InlineData("gzip-bomb")]
    [InlineData("deflate-bomb")]
    public async Task A_head_trickled_a_byte_per_read_gets_what_the_whole_head_gets(string mode)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        if (mode.EndsWith("-bomb", StringComparison.Ordinal))
        {
            await BombCache.GetAsync(mode.StartsWith("gzip", StringComparison.Ordinal) ? BombEncoding.Gzip : BombEncoding.Deflate, BombSize).WaitAsync(timeout.Token);
        }

        var head = Encoding.ASCII.GetBytes(
            "GET / HTTP/1.1\r\nHost: victim\r\nUser-Agent: trickle/1.0\r\nAccept-Encoding: gzip, deflate\r\n"
            + "Authorization: Basic " + Convert.ToBase64String("root:toor"u8) + "\r\nX-Unread: " + new string('x', 300) + "\r\n\r\n");

        // One mode for both: it picks its site (page, Last-Modified, ...) once, at start.
        var tarpit = HttpModes.Create(HttpModeSessionTests.Config(mode, dripBytes: 16, bombSize: BombSize));
        var whole = Run(tarpit, head, head.Length);
        var trickled = Run(tarpit, head, 1);

        Assert.Equal(whole.Steps, trickled.Steps);
        Assert.Equal(whole.Details, trickled.Details);
        Assert.Equal(whole.Published, trickled.Published);
        Assert.Equal(1, trickled.Verified);
        Assert.Equal("trickle/1.0", trickled.Details["http.user_agent"]);
        Assert.Equal(Encoding.ASCII.GetString(head, 0, 1), Encoding.ASCII.GetString(trickled.FirstBytes!));
    }

    [Fact]
    public void A_head_trickled_forever_is_closed_unanswered_at_the_header_timeout()
    {
        var harness = new SessionHarness();
        var session = Open("endless-header");
        harness.Step(session);
        var head = "GET / HTTP/1.1\r\nHost: a\r\nX-Trickle: "u8.ToArray();
        var started = harness.Elapsed;
        (SessionStep Step, byte[] Written) result;
        var sent = 0;
        do
        {
            var b = sent < head.Length ? head[sent] : (byte)'a';
            sent++;
            result = harness.Step(session, new[] { b });
            Assert.Empty(result.Written);
            if (result.Step.Kind == SessionStepKind.AwaitInput)
            {
                Assert.Equal(HttpTarpit.HeaderTimeout - (harness.Elapsed - started), result.Step.Delay);
            }

            harness.Elapsed += Tick;
        }
        while (result.Step.Kind == SessionStepKind.AwaitInput && harness.Elapsed < TimeSpan.FromSeconds(70));

        Assert.Equal(SessionStepKind.Close, result.Step.Kind);
        Assert.Equal(HttpTarpit.HeaderTimeout, harness.Elapsed - Tick - started);
        Assert.Equal(0, harness.VerifiedCount);
    }

    private static (List<string> Steps, Dictionary<string, string> Details, List<KeyValuePair<string, string>> Published, int Verified, byte[]? FirstBytes) Run(
        ITarpitMode tarpit, byte[] head, int chunk)
    {
        var harness = new SessionHarness();
        var session = tarpit.Open(new SessionOpen(1, new IPEndPoint(IPAddress.Loopback, 40000), 80));
        harness.Step(session);
        var steps = new List<string>();

        // The whole head's one read comes when the trickled one's last byte does.
        harness.Elapsed = chunk == 1 ? TimeSpan.Zero : Tick * (head.Length - 1);
        for (var i = 0; i < head.Length; i += chunk)
        {
            var (step, written) = harness.Step(session, head.AsSpan(i, Math.Min(chunk, head.Length - i)));
            if (i + chunk < head.Length)
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

        return (steps, harness.Details, harness.Published, harness.VerifiedCount, harness.FirstBytes);
    }

    private static ITarpitSession Open(string mode) =>
        HttpModes.Create(HttpModeSessionTests.Config(mode, dripBytes: 16, bombSize: BombSize)).Open(new SessionOpen(1, new IPEndPoint(IPAddress.Loopback, 40000), 80));
}
