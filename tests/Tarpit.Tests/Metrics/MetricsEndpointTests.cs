using System.Net;
using System.Net.Sockets;
using System.Text;
using Serilog.Core;
using Tarpit.Metrics;

namespace Tarpit.Tests.Metrics;

/// <summary>The endpoint on loopback TCP and on a Unix socket: what it answers, and the bounds on what a client sends.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MetricsEndpointTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);

    private static async Task<string> RequestAsync(EndPoint endPoint, string request, CancellationToken cancellationToken)
    {
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, endPoint is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint, cancellationToken);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, cancellationToken);
        using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    private static async Task<(MetricsEndpoint Endpoint, Task Run, CancellationTokenSource Stop)> StartAsync(IPEndPoint? tcp, string? socketPath, AgentMetrics metrics)
    {
        var endpoint = MetricsEndpoint.Bind(tcp, socketPath, metrics, Logger.None);
        var stop = new CancellationTokenSource();
        var run = Task.Run(() => endpoint.RunAsync(stop.Token));
        await Task.Yield();
        return (endpoint, run, stop);
    }

    [Fact]
    public async Task A_scrape_over_tcp_gets_the_text_format_and_other_paths_get_404()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        var metrics = new AgentMetrics("9.9.9");
        var (endpoint, run, stop) = await StartAsync(new IPEndPoint(IPAddress.Loopback, 0), null, metrics);
        using (endpoint)
        using (stop)
        {
            var address = IPEndPoint.Parse(endpoint.Address);

            var ok = await RequestAsync(address, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", cts.Token);
            var openMetrics = await RequestAsync(address, "GET /metrics HTTP/1.1\r\nAccept: application/openmetrics-text;version=1.0.0\r\n\r\n", cts.Token);
            var missing = await RequestAsync(address, "GET / HTTP/1.1\r\n\r\n", cts.Token);
            var post = await RequestAsync(address, "POST /metrics HTTP/1.1\r\n\r\n", cts.Token);

            Assert.StartsWith("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n", ok, StringComparison.Ordinal);
            Assert.Contains("tarpit_build_info{version=\"9.9.9\"} 1", ok, StringComparison.Ordinal);
            Assert.Contains("Content-Type: application/openmetrics-text; version=1.0.0; charset=utf-8", openMetrics, StringComparison.Ordinal);
            Assert.EndsWith("# EOF\n", openMetrics, StringComparison.Ordinal);
            Assert.StartsWith("HTTP/1.1 404 Not Found", missing, StringComparison.Ordinal);
            Assert.StartsWith("HTTP/1.1 405 Method Not Allowed", post, StringComparison.Ordinal);
            await stop.CancelAsync();
            await run.WaitAsync(cts.Token);
        }
    }

    [Fact]
    public async Task A_request_head_that_fills_the_bound_without_ending_is_answered_400()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        var (endpoint, run, stop) = await StartAsync(new IPEndPoint(IPAddress.Loopback, 0), null, new AgentMetrics("0"));
        using (endpoint)
        using (stop)
        {
            // Exactly the bound and no end of head: the endpoint stops reading there (sending more would only earn a reset).
            var start = "GET /metrics HTTP/1.1\r\nX: ";
            var huge = start + new string('a', MetricsEndpoint.MaxRequestHeadBytes - start.Length);

            var answer = await RequestAsync(IPEndPoint.Parse(endpoint.Address), huge, cts.Token);

            Assert.StartsWith("HTTP/1.1 400 Bad Request", answer, StringComparison.Ordinal);
            await stop.CancelAsync();
            await run.WaitAsync(cts.Token);
        }
    }

    [Fact]
    public async Task A_unix_socket_serves_the_same_replaces_a_stale_socket_and_is_removed_at_the_end()
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        var dir = Directory.CreateTempSubdirectory("tarpit-metrics-");
        try
        {
            var path = Path.Combine(dir.FullName, "metrics.sock");
            using (var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
            {
                stale.Bind(new UnixDomainSocketEndPoint(path));
            }

            var (endpoint, run, stop) = await StartAsync(null, path, new AgentMetrics("1"));
            using (stop)
            {
                using (endpoint)
                {
                    var answer = await RequestAsync(new UnixDomainSocketEndPoint(path), "GET /metrics HTTP/1.0\r\n\r\n", cts.Token);

                    Assert.StartsWith("HTTP/1.1 200 OK", answer, StringComparison.Ordinal);
                    Assert.Equal(path, endpoint.Address);
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, File.GetUnixFileMode(path));
                    await stop.CancelAsync();
                    await run.WaitAsync(cts.Token);
                }

                Assert.False(File.Exists(path));
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_port_in_use_is_an_operator_error_naming_the_address()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var ex = Assert.Throws<OperatorException>(() => MetricsEndpoint.Bind(new IPEndPoint(IPAddress.Loopback, port), null, new AgentMetrics("0"), Logger.None));

        Assert.StartsWith($"metrics cannot listen on 127.0.0.1:{port}: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[metrics] listen", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_regular_file_at_the_socket_path_is_left_alone_and_the_bind_fails()
    {
        var dir = Directory.CreateTempSubdirectory("tarpit-metrics-");
        try
        {
            var path = Path.Combine(dir.FullName, "metrics.sock");
            File.WriteAllText(path, "keep me");

            Assert.Throws<OperatorException>(() => MetricsEndpoint.Bind(null, path, new AgentMetrics("0"), Logger.None));

            Assert.Equal("keep me", File.ReadAllText(path));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
