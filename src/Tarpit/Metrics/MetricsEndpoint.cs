using System.Net;
using System.Net.Sockets;
using System.Text;
using Serilog;

namespace Tarpit.Metrics;

/// <summary>
/// Serves <c>GET /metrics</c> on the one address of <c>[metrics] listen</c>, TCP or a Unix socket: a tiny HTTP/1.1
/// responder (one request per connection, then close), because prometheus-net's own server is HttpListener, which
/// binds no Unix socket. Every request is bounded: at most <see cref="MaxRequestHeadBytes"/> of head, read within
/// <see cref="RequestTimeout"/>, at most <see cref="MaxConcurrentScrapes"/> at once (the others wait in the backlog).
/// <see cref="Bind"/> runs at start, so a port in use fails the start with one sentence.
/// </summary>
internal sealed partial class MetricsEndpoint : IDisposable
{
    /// <summary>A scrape's request head is a request line and a few headers; Prometheus sends under 300 bytes.</summary>
    public const int MaxRequestHeadBytes = 8192;

    /// <summary>Prometheus and curl scrape one at a time; a few more cover a second scraper without letting a local client pile connections up.</summary>
    public const int MaxConcurrentScrapes = 4;

    /// <summary>Pending connections queued by the kernel.</summary>
    public const int ListenBacklog = 16;

    /// <summary>A client must send its request head and take the answer within this; Prometheus' default scrape timeout is 10 s.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    /// <summary>After an accept that failed (out of descriptors), the pause before the next.</summary>
    public static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromSeconds(1);

    private readonly Socket _socket;
    private readonly AgentMetrics _metrics;
    private readonly ILogger _log;
    private readonly string? _socketPath;

    private MetricsEndpoint(Socket socket, AgentMetrics metrics, ILogger log, string? socketPath)
    {
        _socket = socket;
        _metrics = metrics;
        _log = log;
        _socketPath = socketPath;
    }

    /// <summary>Where it listens: the bound TCP address (the real port when 0 was asked) or the socket path.</summary>
    public string Address => _socketPath ?? FormatTcp((IPEndPoint)_socket.LocalEndPoint!);

    /// <summary>Binds TCP <paramref name="tcp"/> or the Unix socket <paramref name="socketPath"/>; an <see cref="OperatorException"/> names the address and the OS error.</summary>
    public static MetricsEndpoint Bind(IPEndPoint? tcp, string? socketPath, AgentMetrics metrics, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(log);
        if ((tcp is null) == (socketPath is null))
        {
            throw new ArgumentException("Give exactly one of a TCP address and a socket path.", nameof(tcp));
        }

        var socket = tcp is not null
            ? new Socket(tcp.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        var shown = socketPath ?? FormatTcp(tcp!);
        try
        {
            if (tcp is not null)
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.Bind(tcp);
            }
            else
            {
                RemoveStaleSocket(socketPath!);
                socket.Bind(new UnixDomainSocketEndPoint(socketPath!));
                // The process umask is 077; the group may scrape (put the scraper's user in the agent's group).
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(socketPath!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
                }
            }

            socket.Listen(ListenBacklog);
            return new MetricsEndpoint(socket, metrics, log, socketPath);
        }
        catch (Exception ex) when (ex is SocketException or IOException or UnauthorizedAccessException)
        {
            socket.Dispose();
            var reason = ex is SocketException se ? $"{se.Message} ({se.SocketErrorCode})" : ex.Message;
            throw new OperatorException(
                $"metrics cannot listen on {shown}: {reason}. Set [metrics] listen to a free address (e.g. \"127.0.0.1:9477\") or remove [metrics] to turn metrics off.",
                ex);
        }
    }

    /// <summary>Accepts until cancelled, at most <see cref="MaxConcurrentScrapes"/> requests at once; waits for those in progress before it returns.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        MetricsLog.Listening(_log, Address);
        using var slots = new SemaphoreSlim(MaxConcurrentScrapes, MaxConcurrentScrapes);
        var inFlight = new HashSet<Task>();
        try
        {
            while (true)
            {
                await slots.WaitAsync(cancellationToken);
                Socket client;
                try
                {
                    client = await _socket.AcceptAsync(cancellationToken);
                }
                catch (SocketException ex)
                {
                    // A reset in the backlog, or out of descriptors: the endpoint must not stop the agent over it.
                    slots.Release();
                    MetricsLog.AcceptFailed(_log, ex.SocketErrorCode, AcceptRetryDelay.TotalSeconds);
                    await Task.Delay(AcceptRetryDelay, cancellationToken);
                    continue;
                }

                var served = ServeThenReleaseAsync(client, slots, cancellationToken);
                lock (inFlight)
                {
                    inFlight.Add(served);
                }

                // Only forgets the finished request (it released its slot itself); cannot throw.
                _ = served.ContinueWith(
                    t =>
                    {
                        lock (inFlight)
                        {
                            inFlight.Remove(t);
                        }
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        Task[] left;
        lock (inFlight)
        {
            left = [.. inFlight];
        }

        await Task.WhenAll(left);
    }

    public void Dispose()
    {
        _socket.Dispose();
        if (_socketPath is not null)
        {
            RemoveStaleSocket(_socketPath);
        }
    }

    private async Task ServeThenReleaseAsync(Socket client, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        try
        {
            await ServeAsync(client, cancellationToken);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>One request: read the head (bounded), answer, close. Never throws.</summary>
    private async Task ServeAsync(Socket client, CancellationToken cancellationToken)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            var head = await ReadHeadAsync(client, timeout.Token);
            var request = ScrapeRequest.Parse(head);
            if (request.Status != 200)
            {
                await SendAsync(client, request.Status, "text/plain; charset=utf-8", Encoding.ASCII.GetBytes(request.Problem + "\n"), request.HeadOnly, timeout.Token);
                return;
            }

            using var body = new MemoryStream();
            await _metrics.WriteAsync(body, request.OpenMetrics, timeout.Token);
            await SendAsync(client, 200, request.OpenMetrics ? OpenMetricsType : PrometheusType, body.GetBuffer().AsMemory(0, (int)body.Length), request.HeadOnly, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // The client was too slow, or the agent is stopping: nothing to answer.
        }
        catch (SocketException ex)
        {
            MetricsLog.ClientGone(_log, ex.SocketErrorCode);
        }
        catch (Exception ex)
        {
            // The top of a connection handler: a failed scrape must not stop the endpoint.
            MetricsLog.ScrapeFailed(_log, ex);
        }
    }

    private static async Task<byte[]> ReadHeadAsync(Socket client, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxRequestHeadBytes];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await client.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
            if (buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8) >= 0)
            {
                break;
            }
        }

        return buffer[..filled];
    }

    private static async Task SendAsync(Socket client, int status, string contentType, ReadOnlyMemory<byte> body, bool headOnly, CancellationToken cancellationToken)
    {
        var reason = status switch
        {
            200 => "OK",
            400 => "Bad Request",
            404 => "Not Found",
            405 => "Method Not Allowed",
            _ => "Error",
        };
        var head = $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await client.SendAsync(Encoding.ASCII.GetBytes(head), SocketFlags.None, cancellationToken);
        if (!headOnly && body.Length > 0)
        {
            await client.SendAsync(body, SocketFlags.None, cancellationToken);
        }

        client.Shutdown(SocketShutdown.Send);
    }

    private const string PrometheusType = "text/plain; version=0.0.4; charset=utf-8";
    private const string OpenMetricsType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private static string FormatTcp(IPEndPoint endPoint) =>
        endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]:{endPoint.Port}" : $"{endPoint.Address}:{endPoint.Port}";

    /// <summary>A socket file left by a previous run is removed; anything else at the path is left alone (the bind then fails and says so).</summary>
    private static void RemoveStaleSocket(string path)
    {
        if (Linux.FileStatus.Of(path) is { IsSocket: true } && new FileInfo(path).LinkTarget is null)
        {
            File.Delete(path);
        }
    }
}
