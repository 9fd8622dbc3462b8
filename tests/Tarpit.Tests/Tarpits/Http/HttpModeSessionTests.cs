using System.Net;
using System.Text;
using Tarpit.Config;
using Tarpit.Tarpits;
using Tarpit.Tarpits.Http;

namespace Tarpit.Tests.Tarpits.Http;

public sealed class HttpModeSessionTests
{
    private static readonly byte[] CurlRequest = "GET / HTTP/1.1\r\nHost: victim\r\nUser-Agent: curl/7.88.1\r\nAccept-Encoding: deflate, gzip\r\n\r\n"u8.ToArray();

    internal static TarpitConfig Config(string mode, int dripBytes = 8, long bombSize = 1 << 20, bool verifyClient = true) => new(
        "web", TarpitProtocol.Http, mode, [new IPEndPoint(IPAddress.Loopback, 0)], [], Decoy: false, verifyClient,
        TimeSpan.FromSeconds(1), Banner: null, TimeSpan.FromSeconds(10), Jitter: 0.5, dripBytes, TimeSpan.FromHours(1),
        100, 10, new HttpTarpitOptions(100_000, bombSize, "Restricted"));

    private static ITarpitSession Open(string mode, int dripBytes = 8, long bombSize = 1 << 20) =>
        HttpModes.Create(Config(mode, dripBytes, bombSize)).Open(new SessionOpen(1, new IPEndPoint(IPAddress.Loopback, 40000), 80));

    [Fact]
    public void A_silent_client_is_never_spoken_to_and_keeps_being_awaited()
    {
        var harness = new SessionHarness();
        var session = Open("endless-header");

        var first = harness.Step(session);
        var timedOut = harness.Step(session, inputTimedOut: true);

        Assert.Equal(SessionStepKind.AwaitInput, first.Step.Kind);
        Assert.Empty(first.Written);
        Assert.Equal(SessionStepKind.AwaitInput, timedOut.Step.Kind);
        Assert.Empty(timedOut.Written);
        Assert.Equal(0, harness.VerifiedCount);
    }

    [Fact]
    public void Endless_header_sends_the_nginx_head_then_one_header_line_per_step_with_jittered_waits()
    {
        var harness = new SessionHarness();
        var session = Open("endless-header");
        harness.Step(session);

        var head = harness.Step(session, CurlRequest);
        var lines = Enumerable.Range(0, 20).Select(_ => harness.Step(session)).ToList();

        Assert.StartsWith("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: ", Encoding.ASCII.GetString(head.Written), StringComparison.Ordinal);
        Assert.All(lines, l => Assert.Matches("^[A-Za-z-]+: [^\r\n]+\r\n$", Encoding.ASCII.GetString(l.Written)));
        Assert.True(lines.Select(l => l.Step.Delay).Distinct().Count() > 10);
        Assert.All(lines, l => Assert.InRange(l.Step.Delay, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)));
        Assert.Equal(1, harness.VerifiedCount);
        Assert.Equal("/", harness.Details["http.path"]);
        Assert.Equal("curl/7.88.1", harness.Details["http.user_agent"]);
        Assert.Equal("victim", harness.Details["http.host"]);
    }

    [Fact]
    public void Endless_header_connections_are_handed_to_the_modes_one_hold_with_their_line_in_the_slot_state()
    {
        var mode = HttpModes.Create(Config("endless-header"));
        var first = new SessionHarness();
        var second = new SessionHarness();
        var a = mode.Open(new SessionOpen(1, new IPEndPoint(IPAddress.Loopback, 40000), 80));
        var b = mode.Open(new SessionOpen(2, new IPEndPoint(IPAddress.Loopback, 40001), 80));
        first.Step(a);
        second.Step(b);

        first.Step(a, CurlRequest);
        second.Step(b, CurlRequest);
        var line = first.Step(a).Written;

        Assert.NotSame(a, b);
        Assert.NotNull(first.HandedTo);
        Assert.Same(first.HandedTo, second.HandedTo);
        Assert.IsType<EndlessHeaderHold>(first.HandedTo);
        Assert.Equal((ulong)line.Length, (first.State >> 32) & 0xFFFF); // the line's length, none of it yet accepted
    }

    [Fact]
    public void A_line_the_kernel_took_only_part_of_is_finished_before_the_next()
    {
        var harness = new SessionHarness();
        var session = Open("endless-header");
        harness.Step(session);
        harness.Step(session, CurlRequest);
        var line = harness.Step(session).Written;

        harness.NextLastSent = 5;
        var rest = harness.Step(session).Written;

        Assert.Equal(line[5..], rest);
    }

    [Fact]
    public void Garbage_gets_a_400_after_a_short_random_delay_then_close()
    {
        var harness = new SessionHarness();
        var session = Open("drip");
        harness.Step(session);

        var pause = harness.Step(session, "\u0016\u0003\u0001"u8);
        var answer = harness.Step(session);

        Assert.Equal(SessionStepKind.After, pause.Step.Kind);
        Assert.InRange(pause.Step.Delay, HttpTarpit.MinRejectDelay, HttpTarpit.MaxRejectDelay);
        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", Encoding.ASCII.GetString(answer.Written), StringComparison.Ordinal);
        Assert.Equal(SessionStepKind.Close, answer.Step.Kind);
        Assert.Equal(0, harness.VerifiedCount);
        Assert.Equal(new byte[] { 0x16, 3, 1 }, harness.FirstBytes);
    }

    [Fact]
    public void A_request_split_across_reads_is_reassembled()
    {
        var harness = new SessionHarness();
        var session = Open("drip");
        harness.Step(session);

        var partial = harness.Step(session, CurlRequest.AsSpan(0, 20));
        var complete = harness.Step(session, CurlRequest.AsSpan(20));

        Assert.Equal(SessionStepKind.AwaitInput, partial.Step.Kind);
        Assert.StartsWith("HTTP/1.1 200 OK", Encoding.ASCII.GetString(complete.Written), StringComparison.Ordinal);
    }

    [Fact]
    public void Drip_sends_drip_bytes_of_the_body_per_step_and_resends_what_the_kernel_refused()
    {
        var harness = new SessionHarness();
        var session = Open("drip", dripBytes: 8);
        harness.Step(session);
        var head = Encoding.ASCII.GetString(harness.Step(session, CurlRequest).Written);

        var second = harness.Step(session).Written;
        harness.NextLastSent = 3;
        var third = harness.Step(session).Written;

        Assert.Contains("Content-Length: 100000\r\n", head, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n<!DOCTYP", head, StringComparison.Ordinal);
        Assert.Equal("E html>\n"u8.ToArray(), second);
        Assert.Equal(8, third.Length);
        Assert.Equal(second[3..], third[..5]);
    }

    [Fact]
    public void Fake_auth_publishes_credentials_and_answers_a_slow_401_then_reads_the_next_request()
    {
        var harness = new SessionHarness();
        var session = Open("fake-auth", dripBytes: 64);
        harness.Step(session);
        var request = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: a\r\nAuthorization: Basic " + Convert.ToBase64String("root:toor"u8) + "\r\n\r\n");

        var pause = harness.Step(session, request);
        var response = new StringBuilder();
        SessionStep step;
        do
        {
            var (next, written) = harness.Step(session);
            response.Append(Encoding.ASCII.GetString(written));
            step = next;
        }
        while (step.Kind == SessionStepKind.After);

        Assert.Equal(SessionStepKind.After, pause.Step.Kind);
        Assert.Empty(pause.Written);
        Assert.StartsWith("HTTP/1.1 401 Unauthorized\r\n", response.ToString(), StringComparison.Ordinal);
        Assert.Contains("WWW-Authenticate: Basic realm=\"Restricted\"\r\n", response.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("</html>\r\n", response.ToString(), StringComparison.Ordinal);
        Assert.Equal(SessionStepKind.AwaitInput, step.Kind);
        Assert.Equal([new("auth.user", "root"), new("auth.password", "toor")], harness.Published.Where(p => p.Key != CaptureKeys.Http));
    }

    [Fact]
    public void A_kept_alive_connection_publishes_one_capture_per_request_up_to_the_bound()
    {
        var harness = new SessionHarness();
        var session = Open("fake-auth", dripBytes: 4096);
        harness.Step(session);
        var request = Encoding.ASCII.GetBytes("GET /admin HTTP/1.1\r\nHost: a\r\nAuthorization: Basic " + Convert.ToBase64String("root:toor"u8) + "\r\n\r\n");
        for (var i = 0; i < RequestCapture.MaxCapturedRequests + 2; i++)
        {
            var (step, _) = harness.Step(session, request);
            while (step.Kind == SessionStepKind.After)
            {
                (step, _) = harness.Step(session);
            }

            Assert.Equal(SessionStepKind.AwaitInput, step.Kind);
        }

        var numbers = harness.Published
            .Where(p => p.Key == CaptureKeys.Http)
            .Select(p => System.Text.Json.JsonDocument.Parse(p.Value).RootElement.GetProperty("request").GetInt32());
        Assert.Equal(Enumerable.Range(1, RequestCapture.MaxCapturedRequests), numbers);
        Assert.Equal(RequestCapture.MaxCapturedRequests + 2, harness.Published.Count(p => p.Key == "auth.user"));
    }

    [Fact]
    public async Task A_bomb_client_hears_nothing_until_the_bomb_is_ready_then_gets_all_of_it_but_the_last_byte_fast()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        const long size = (1 << 20) + 17;
        var harness = new SessionHarness();
        var session = Open("deflate-bomb", dripBytes: 4, bombSize: size);
        harness.Step(session);

        var first = harness.Step(session, CurlRequest);
        var bomb = await BombCache.GetAsync(BombEncoding.Deflate, size).WaitAsync(timeout.Token);
        var silentSteps = 0;
        var (step, written) = first;
        while (written.Length == 0)
        {
            silentSteps++;
            (step, written) = harness.Step(session);
        }

        var head = Encoding.ASCII.GetString(written);
        var body = new List<byte>();
        while (step.Kind == SessionStepKind.After)
        {
            Assert.Equal(TimeSpan.Zero, step.Delay);
            (step, written) = harness.Step(session);
            body.AddRange(written);
        }

        Assert.True(silentSteps <= 1000, $"{silentSteps} silent steps");
        Assert.StartsWith("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n", head, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", head, StringComparison.Ordinal);
        Assert.Contains("Content-Encoding: deflate\r\n", head, StringComparison.Ordinal);
        Assert.Contains($"Content-Length: {bomb.Length}\r\n", head, StringComparison.Ordinal);
        Assert.Equal(bomb[..^1], body.ToArray());
        Assert.Equal(SessionStepKind.AwaitInput, step.Kind);
    }

    [Theory]
    [InlineData("endless-header")]
    [InlineData("drip")]
    [InlineData("gzip-bomb")]
    [InlineData("fake-auth")]
    public void A_scanner_that_reads_responses_whole_gets_the_whole_response_at_speed(string mode)
    {
        var harness = new SessionHarness();
        var session = Open(mode, dripBytes: 4);
        harness.Step(session);
        var request = "GET / HTTP/1.1\r\nConnection: close\r\nUser-Agent: Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)\r\nHost: a\r\n\r\n"u8;

        var (step, written) = harness.Step(session, request);
        var response = new List<byte>(written);
        var steps = 0;
        while (step.Kind == SessionStepKind.After && steps++ < 1000)
        {
            Assert.Equal(TimeSpan.Zero, step.Delay);
            (step, written) = harness.Step(session);
            response.AddRange(written);
        }

        var text = Encoding.ASCII.GetString([.. response]);
        var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        var length = int.Parse(System.Text.RegularExpressions.Regex.Match(text, "Content-Length: (\\d+)\r\n").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(SessionStepKind.CloseAfter, step.Kind);
        Assert.StartsWith(mode == "fake-auth" ? "HTTP/1.1 401 Unauthorized\r\n" : "HTTP/1.1 200 OK\r\n", text, StringComparison.Ordinal);
        Assert.Equal(length, response.Count - headEnd);
        Assert.EndsWith("</html>\n", text.TrimEnd('\r', '\n') + "\n", StringComparison.Ordinal);
    }

    [Fact]
    public void A_scanner_that_stops_reading_is_waited_for_an_interval()
    {
        var harness = new SessionHarness();
        var session = Open("drip", dripBytes: 4);
        harness.Step(session);
        var request = "GET / HTTP/1.1\r\nUser-Agent: Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)\r\nHost: a\r\n\r\n"u8;

        var first = harness.Step(session, request);
        harness.NextLastSent = 10;
        var refused = harness.Step(session);

        Assert.Equal(TimeSpan.Zero, first.Step.Delay);
        Assert.True(first.Written.Length > 1000, $"{first.Written.Length} bytes");
        Assert.InRange(refused.Step.Delay, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15));
    }
}
