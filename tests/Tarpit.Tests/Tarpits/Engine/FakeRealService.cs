using System.Net;
using System.Net.Sockets;

namespace Tarpit.Tests.Tarpits.Engine;

/// <summary>
/// A stand-in for the real sshd or web server on loopback (a real socket, port 0): it accepts one connection, reads
/// the request if told to, writes its bytes and keeps the connection open until disposed (or shuts its side down when
/// told to); it records what it read.
/// </summary>
#pragma warning disable CA2213 // _stop is cancelled, not disposed, so a second DisposeAsync is a no-op.
internal sealed class FakeRealService : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serve;

    public FakeRealService(byte[] answer, bool readRequestFirst = false, bool closeAfterAnswer = false)
    {
        _listener.Start();
        _serve = ServeAsync(answer, readRequestFirst, closeAfterAnswer, _stop.Token);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>What the prober sent before it closed.</summary>
    public byte[] Received { get; private set; } = [];

    /// <summary>A loopback port where nothing listens (bound, then released).</summary>
    public static int UnusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        _listener.Stop();
        await _serve;
    }

    private async Task ServeAsync(byte[] answer, bool readRequestFirst, bool closeAfterAnswer, CancellationToken cancellationToken)
    {
        try
        {
            using var client = await _listener.AcceptSocketAsync(cancellationToken);
            var received = new List<byte>();
            var buffer = new byte[1024];
            if (readRequestFirst)
            {
                var read = await client.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                received.AddRange(buffer.AsSpan(0, read).ToArray());
            }

            if (answer.Length > 0)
            {
                await client.SendAsync(answer, SocketFlags.None, cancellationToken);
            }

            if (closeAfterAnswer)
            {
                client.Shutdown(SocketShutdown.Send);
            }

            int count;
            while ((count = await client.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
            {
                received.AddRange(buffer.AsSpan(0, count).ToArray());

                // Kept as it comes: disposal may cancel the read before the prober's close arrives.
                Received = [.. received];
            }

            Received = [.. received];
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
