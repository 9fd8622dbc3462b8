using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Text;
using Tarpit.Config;
using Tarpit.Tarpits;
using Tarpit.Tarpits.Tls;

namespace Tarpit.Tests.Tarpits.Tls;

/// <summary>
/// endless-hello-request against a real TLS client (.NET's SslStream, OpenSSL underneath) whose records go through
/// the session's steps: the handshake completes, and inside it the HTTP drip answers with nginx's head.
/// </summary>
public sealed class TlsTunnelSessionTests
{
    /// <summary>How long the test drives steps before it gives up on an outcome.</summary>
    private static readonly TimeSpan MaxPump = TimeSpan.FromSeconds(20);

    private static ITarpitSession Open() => TlsModes.Create(new TarpitConfig(
        "tls", TarpitProtocol.Tls, ModeCatalog.TlsHandshakeDrip, [new IPEndPoint(IPAddress.Loopback, 0)], [], Decoy: false, VerifyClient: true,
        TimeSpan.FromSeconds(1), Banner: null, TimeSpan.FromSeconds(10), Jitter: 0.5, 4, TimeSpan.FromHours(1), 100, 10, Http: null))
        .Open(new SessionOpen(1, new IPEndPoint(IPAddress.Loopback, 40000), 443));

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task A_real_client_completes_the_handshake_and_gets_nginx_head_dripped_inside(SslProtocols protocol)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var harness = new SessionHarness();
        var session = Open();
        harness.Step(session);
        var wire = new TlsTransport();
        using var client = new SslStream(wire, leaveInnerStreamOpen: false);
        var handshake = client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "www.example.org",
            EnabledSslProtocols = protocol,
            // Self-signed, like Debian's snakeoil: the subject is the host's name.
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.Subject.StartsWith("CN=", StringComparison.Ordinal) == true,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        }, timeout.Token);

        Pump(harness, session, wire, () => handshake.IsCompleted);
        await handshake;
        await client.WriteAsync("GET / HTTP/1.1\r\nHost: www.example.org\r\n\r\n"u8.ToArray(), timeout.Token);
        var response = new MemoryStream();
        var buffer = new byte[4096];
        var read = client.ReadAsync(buffer, timeout.Token).AsTask();
        Pump(harness, session, wire, () =>
        {
            if (read.IsCompleted)
            {
                response.Write(buffer, 0, read.Result);
                read = client.ReadAsync(buffer, timeout.Token).AsTask();
            }

            return Encoding.ASCII.GetString(response.ToArray()).Contains("\r\n\r\n", StringComparison.Ordinal);
        });

        var head = Encoding.ASCII.GetString(response.ToArray());
        Assert.Equal(protocol, client.SslProtocol);
        Assert.Equal(SslApplicationProtocol.Http11, client.NegotiatedApplicationProtocol);
        Assert.StartsWith("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n", head, StringComparison.Ordinal);
        Assert.Equal("www.example.org", harness.Details["tls.sni"]);
    }

    /// <summary>Carries the client's records into the session and the session's into the client until <paramref name="done"/>.</summary>
    private static void Pump(SessionHarness harness, ITarpitSession session, TlsTransport wire, Func<bool> done)
    {
        var until = DateTime.UtcNow + MaxPump;
        while (!done() && DateTime.UtcNow < until)
        {
            var sent = new byte[wire.Pending];
            wire.Accept(wire.Peek(sent));
            var (_, written) = harness.Step(session, sent);
            wire.Feed(written);
            if (sent.Length == 0 && written.Length == 0)
            {
                Thread.Yield(); // the client's continuations may run on the thread pool
            }
        }

        Assert.True(done(), "no outcome within the bounded steps");
    }
}
