using System.Net;
using System.Net.Sockets;
using System.Text;
using Tarpit.Config;
using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.Tarpits.Http;

/// <summary>
/// The cheap checks a scanner makes to tell a tarpit from a web server: the same requests sent to Debian's nginx
/// (a web root with one index.html) and to each HTTP mode get the same status codes, and the validators of a path do
/// not change between requests.
/// </summary>
public sealed class NginxDifferentialSystemTests
{
    private static readonly string[] Requests =
    [
        "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /?q=1 HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /./a/../index.html HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET //index.html HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /wp-login.php HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /admin/ HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /index.html/ HTTP/1.1\r\nHost: a\r\n\r\n",
        "HEAD / HTTP/1.1\r\nHost: a\r\n\r\n",
        "HEAD /missing HTTP/1.1\r\nHost: a\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
        "POST /index.html HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
        "POST /missing.php HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
        "OPTIONS / HTTP/1.1\r\nHost: a\r\n\r\n",
        "OPTIONS /missing HTTP/1.1\r\nHost: a\r\n\r\n",
        "DELETE / HTTP/1.1\r\nHost: a\r\n\r\n",
        "PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
        "FOO / HTTP/1.1\r\nHost: a\r\n\r\n",
        "TRACE / HTTP/1.1\r\nHost: a\r\n\r\n",
        "get / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nRange: bytes=0-9\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nRange: bytes=-5\r\n\r\n",
        "GET /missing HTTP/1.1\r\nHost: a\r\nRange: bytes=0-9\r\n\r\n",
        "GET / HTTP/3.0\r\nHost: a\r\n\r\n",
        "GET / HTTP/2.0\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.0\r\n\r\n",
        "GET / HTTP/1.1\r\n\r\n",
        "GET /../etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /%2e%2e/etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /a/../../etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET http://a/index.html HTTP/1.1\r\nHost: a\r\n\r\n",
    ];

    [SystemFact(false, RealNginx.Binary, "openssl")]
    public async Task Every_mode_answers_each_request_with_the_status_nginx_gives_it()
    {
        Prerequisites.Require(false, RealNginx.Binary, "openssl");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var nginx = await RealNginx.StartAsync(tls: false, timeout.Token);
        var expected = new List<string>();
        foreach (var request in Requests)
        {
            expected.Add(await StatusLineAsync(nginx.Port, request, timeout.Token));
        }

        foreach (var mode in new[] { "endless-header", "drip", "gzip-bomb" })
        {
            await using var tarpit = await TarpitUnderTest.StartAsync(TarpitProtocol.Http, mode, interval: TimeSpan.FromMilliseconds(20), dripBytes: 16, bombSize: 1 << 20, cancellationToken: timeout.Token);
            var actual = new List<string>();
            foreach (var request in Requests)
            {
                actual.Add(await StatusLineAsync(tarpit.Port, request, timeout.Token));
            }

            var differences = Requests.Select((r, i) => (Request: r.Split("\r\n")[0], Nginx: expected[i], Tarpit: actual[i])).Where(x => x.Nginx != x.Tarpit).ToList();
            Assert.True(differences.Count == 0, mode + ":\n" + string.Join("\n", differences.Select(d => $"{d.Request}: nginx '{d.Nginx}', tarpit '{d.Tarpit}'")));
        }
    }

    [SystemFact(false)]
    public async Task The_etag_and_last_modified_of_a_path_are_the_same_on_every_request()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var tarpit = await TarpitUnderTest.StartAsync(TarpitProtocol.Http, "drip", interval: TimeSpan.FromMilliseconds(20), dripBytes: 64, cancellationToken: timeout.Token);

        var first = await HeadAsync(tarpit.Port, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", timeout.Token);
        var second = await HeadAsync(tarpit.Port, "GET /index.html HTTP/1.1\r\nHost: a\r\nUser-Agent: other\r\n\r\n", timeout.Token);

        Assert.Equal(Field(first, "ETag"), Field(second, "ETag"));
        Assert.Equal(Field(first, "Last-Modified"), Field(second, "Last-Modified"));
        Assert.Equal(Field(first, "Content-Type"), Field(second, "Content-Type"));
        Assert.NotNull(Field(first, "ETag"));
    }

    private static string? Field(string head, string name) =>
        head.Split("\r\n").FirstOrDefault(l => l.StartsWith(name + ": ", StringComparison.OrdinalIgnoreCase));

    private static async Task<string> StatusLineAsync(int port, string request, CancellationToken cancellationToken)
    {
        var head = await ReadUntilAsync(port, request, "\r\n", cancellationToken);
        return head.Split("\r\n")[0];
    }

    private static Task<string> HeadAsync(int port, string request, CancellationToken cancellationToken) =>
        ReadUntilAsync(port, request, "\r\n\r\n", cancellationToken);

    /// <summary>Sends one request and reads until <paramref name="end"/> (or close), at most 5 s and 16 KiB.</summary>
    private static async Task<string> ReadUntilAsync(int port, string request, string end, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(TimeSpan.FromSeconds(5));
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, bounded.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), bounded.Token);
        var received = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            while (received.Length < 16 * 1024 && !received.ToString().Contains(end, StringComparison.Ordinal))
            {
                var count = await stream.ReadAsync(buffer, bounded.Token);
                if (count == 0)
                {
                    break;
                }

                received.Append(Encoding.Latin1.GetString(buffer, 0, count));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            received.Append("<timed out>");
        }
        catch (IOException)
        {
            received.Append("<reset>");
        }

        return received.ToString();
    }
}
