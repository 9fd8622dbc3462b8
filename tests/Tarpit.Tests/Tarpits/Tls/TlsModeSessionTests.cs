using System.Net;
using Tarpit.Config;
using Tarpit.Tarpits;
using Tarpit.Tarpits.Tls;

namespace Tarpit.Tests.Tarpits.Tls;

public sealed class TlsModeSessionTests
{
    private static ITarpitSession Open(string mode, int dripBytes = 16) => TlsModes.Create(new TarpitConfig(
        "tls", TarpitProtocol.Tls, mode, [new IPEndPoint(IPAddress.Loopback, 0)], [], Decoy: false, VerifyClient: true,
        TimeSpan.FromSeconds(1), Banner: null, TimeSpan.FromSeconds(10), Jitter: 0.5, dripBytes, TimeSpan.FromHours(1), 100, 10, Http: null))
        .Open(new SessionOpen(1, new IPEndPoint(IPAddress.Loopback, 40000), 443));

    [Fact]
    public void A_silent_client_gets_nothing_and_is_held()
    {
        var harness = new SessionHarness();
        var session = Open("slow-hello");

        var first = harness.Step(session);
        var again = harness.Step(session, inputTimedOut: true);

        Assert.Equal(SessionStepKind.AwaitInput, first.Step.Kind);
        Assert.Empty(first.Written);
        Assert.Equal(SessionStepKind.AwaitInput, again.Step.Kind);
        Assert.Empty(again.Written);
    }

    [Fact]
    public void Slow_hello_drips_a_server_hello_then_all_but_the_last_byte_of_a_certificate_then_holds()
    {
        var harness = new SessionHarness();
        var session = Open("slow-hello", dripBytes: 7);
        harness.Step(session);

        var stream = new List<byte>();
        var (step, written) = harness.Step(session, ClientHelloBuilder.Build());
        var steps = 0;
        while (step.Kind == SessionStepKind.After && steps++ < 10_000)
        {
            Assert.InRange(written.Length, 1, 7);
            stream.AddRange(written);
            (step, written) = harness.Step(session);
        }

        var bytes = stream.ToArray();
        var serverHelloLength = 5 + ((bytes[3] << 8) | bytes[4]);
        var serverHello = ServerHelloBuilderTests.ParseServerHello(bytes[..serverHelloLength]);
        var certificate = bytes[serverHelloLength..];
        Assert.Equal(0x0303, serverHello.Version);
        Assert.Equal(new byte[] { 22, 3, 3 }, certificate[..3]);
        Assert.Equal(11, certificate[5]);
        Assert.Equal(((certificate[3] << 8) | certificate[4]) + 5 - 1, certificate.Length);
        Assert.Equal(SessionStepKind.AwaitInput, step.Kind);
        Assert.Equal("example.org", harness.Details["tls.sni"]);
        Assert.Equal("h2,http/1.1", harness.Details["tls.alpn"]);
        Assert.Equal(1, harness.VerifiedCount);
    }

    [Fact]
    public void Endless_hello_request_sends_the_whole_tls12_flight_at_once_then_after_the_client_drips_all_but_the_last_byte_of_the_finished()
    {
        var harness = new SessionHarness();
        var session = Open("endless-hello-request", dripBytes: 5);
        harness.Step(session);

        var flight = harness.Step(session, ClientHelloBuilder.Build());
        var waiting = harness.Step(session);
        var stall = new List<byte>();
        var (step, written) = harness.Step(session, [20, 3, 3, 0, 1, 1]);
        while (step.Kind == SessionStepKind.After)
        {
            Assert.InRange(written.Length, 1, 5);
            stall.AddRange(written);
            (step, written) = harness.Step(session);
        }

        var types = Records(flight.Written).Select(r => (r[0], r[5])).ToList();
        Assert.Equal([(22, 2), (22, 11), (22, 12), (22, 14)], types); // ServerHello, Certificate, ServerKeyExchange, ServerHelloDone
        Assert.Equal(TimeSpan.Zero, flight.Step.Delay);
        Assert.Equal(SessionStepKind.AwaitInput, waiting.Step.Kind);
        Assert.Empty(waiting.Written);
        var ticketLength = 5 + ((stall[3] << 8) | stall[4]);
        Assert.Equal(4, stall[5]); // NewSessionTicket (the client offered the extension)
        Assert.Equal(new byte[] { 20, 3, 3, 0, 1, 1 }, stall.Skip(ticketLength).Take(6));
        Assert.Equal(ticketLength + 6 + 5 + 40 - 1, stall.Count);
        Assert.Equal(SessionStepKind.AwaitInput, step.Kind);
    }

    [Fact]
    public void Endless_hello_request_answers_tls13_with_server_hello_and_change_cipher_spec_then_an_encrypted_record_that_never_completes()
    {
        var harness = new SessionHarness();
        var session = Open("endless-hello-request", dripBytes: 5);
        harness.Step(session);

        var flight = harness.Step(session, ClientHelloBuilder.Build(keyShare: true));
        var stall = new List<byte>();
        var (step, written) = harness.Step(session);
        while (step.Kind == SessionStepKind.After)
        {
            stall.AddRange(written);
            (step, written) = harness.Step(session);
        }

        var records = Records(flight.Written);
        Assert.Equal(2, records.Count);
        Assert.Equal(0x1302, ServerHelloBuilderTests.ParseServerHello(records[0]).Suite);
        Assert.Equal(new byte[] { 20, 3, 3, 0, 1, 1 }, records[1]);
        Assert.Equal(new byte[] { 23, 3, 3 }, stall.Take(3));
        Assert.Equal(5 + ((stall[3] << 8) | stall[4]) - 1, stall.Count);
        Assert.Equal(SessionStepKind.AwaitInput, step.Kind);
    }

    private static List<byte[]> Records(byte[] bytes)
    {
        var records = new List<byte[]>();
        for (var i = 0; i < bytes.Length;)
        {
            var length = 5 + ((bytes[i + 3] << 8) | bytes[i + 4]);
            records.Add(bytes[i..(i + length)]);
            i += length;
        }

        return records;
    }

    [Fact]
    public void A_bad_handshake_and_an_sslv3_hello_get_openssls_fatal_alerts_after_a_pause_then_close()
    {
        var harness = new SessionHarness();
        var garbage = Open("slow-hello");
        var sslv3 = Open("endless-hello-request");
        harness.Step(garbage);
        harness.Step(sslv3);

        // A handshake record holding a ServerHello, not a ClientHello.
        var pause = harness.Step(garbage, new byte[] { 22, 3, 1, 0, 4, 2, 0, 0, 0 });
        var alert = harness.Step(garbage);
        harness.Step(sslv3, ClientHelloBuilder.Build(legacyVersion: 0x0300, supportedVersions: [], suites: [0x000A]));
        var versionAlert = harness.Step(sslv3);

        Assert.InRange(pause.Step.Delay, TlsTarpit.MinAlertDelay, TlsTarpit.MaxAlertDelay);
        Assert.Equal(new byte[] { 21, 3, 1, 0, 2, 2, TlsAlert.UnexpectedMessage }, alert.Written);
        Assert.Equal(SessionStepKind.Close, alert.Step.Kind);

        // What Debian's nginx with OpenSSL 3 answers an SSLv3 hello (nmap's SSLSessionReq): an SSLv3 record, handshake_failure.
        Assert.Equal(new byte[] { 21, 3, 0, 0, 2, 2, TlsAlert.HandshakeFailure }, versionAlert.Written);
    }

    [Theory]
    [InlineData("slow-hello")]
    [InlineData("endless-hello-request")]
    [InlineData("handshake-drip")]
    public void A_plain_http_request_gets_nginxs_page_for_the_https_port_and_is_closed(string mode)
    {
        var harness = new SessionHarness();
        var session = Open(mode);
        harness.Step(session);

        var (step, written) = harness.Step(session, "GET / HTTP/1.0\r\n\r\n"u8);
        var text = System.Text.Encoding.ASCII.GetString(written);

        Assert.Equal(SessionStepKind.Close, step.Kind);
        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\nServer: nginx/1.22.1\r\nDate: ", text, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Length: 255\r\nConnection: close\r\n\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("<center>The plain HTTP request was sent to HTTPS port</center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n", text, StringComparison.Ordinal);
        Assert.Equal("/", harness.Details["http.path"]);
    }

    [Theory]
    [InlineData("slow-hello")]
    [InlineData("endless-hello-request")]
    public void After_nmaps_probe_its_address_completes_the_handshake_and_any_other_is_still_stalled(string mode)
    {
        var tarpit = TlsModes.Create(new TarpitConfig(
            "tls", TarpitProtocol.Tls, mode, [new IPEndPoint(IPAddress.Loopback, 0)], [], Decoy: false, VerifyClient: true,
            TimeSpan.FromSeconds(1), Banner: null, TimeSpan.FromSeconds(10), Jitter: 0.5, DripBytes: 4, TimeSpan.FromHours(1), 100, 10, Http: null));
        ITarpitSession Session() => tarpit.Open(new SessionOpen(1, new IPEndPoint(IPAddress.Loopback, 40000), 443));
        var scanner = new SessionHarness { RemoteAddress = IPAddress.Parse("192.0.2.7") };
        var other = new SessionHarness { RemoteAddress = IPAddress.Parse("192.0.2.8") };
        var probe = Session();
        scanner.Step(probe);
        scanner.Step(probe, ServiceScanProbesTests.SslSessionReq);
        var alert = scanner.Step(probe);

        var scannerAgain = Session();
        var fresh = Session();
        scanner.Step(scannerAgain);
        other.Step(fresh);
        var completed = scanner.Step(scannerAgain, ClientHelloBuilder.Build(keyShare: true));
        var stalled = other.Step(fresh, ClientHelloBuilder.Build(keyShare: true));

        Assert.Equal(new byte[] { 21, 3, 0, 0, 2, 2, TlsAlert.HandshakeFailure }, alert.Written);
        Assert.Equal("nmap", scanner.Details["tls.probe"]);

        // The scanner's hello went to OpenSSL (handshake-drip's server), which refuses this test hello at once with a
        // fatal alert: it has no signature_algorithms (RFC 8446 §4.2.3). The stall modes never alert on a hello they
        // accept. That a real scanner completes the handshake is the system test's (nmap -sV says ssl/http nginx).
        Assert.Equal(new byte[] { 21, 3, 3, 0, 2, 2 }, completed.Written[..6]);

        // The stall: 4 bytes of the ServerHello (slow-hello), or ServerHello and ChangeCipherSpec, then the drip.
        Assert.Equal(22, stalled.Written[0]);
        Assert.InRange(stalled.Written.Length, 1, 200);
        Assert.DoesNotContain("tls.probe", other.Details.Keys);
    }

    [Fact]
    public void A_hello_split_across_reads_is_reassembled()
    {
        var harness = new SessionHarness();
        var session = Open("slow-hello");
        harness.Step(session);
        var hello = ClientHelloBuilder.Build();

        var partial = harness.Step(session, hello.AsSpan(0, 30));
        var complete = harness.Step(session, hello.AsSpan(30));

        Assert.Equal(SessionStepKind.AwaitInput, partial.Step.Kind);
        Assert.Equal(22, complete.Written[0]);
        Assert.Equal(2, complete.Written[5]);
    }
}
