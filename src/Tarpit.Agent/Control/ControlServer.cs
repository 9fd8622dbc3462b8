using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Serilog;

namespace Tarpit.Agent.Control;

/// <summary>
/// The daemon's control socket, <c>state_dir/control.sock</c>: a Unix stream socket, mode 0600 (the daemon's user;
/// root passes anyway), in the state dir, which is 0700. One request line in, one reply line out, then the connection
/// closes. A socket a previous run left behind (nobody answers on it) is unlinked and bound again; unlink never
/// follows a link, and bind creates a fresh inode or fails. The file is removed when the part stops.
/// </summary>
internal sealed class ControlServer(string path, Func<ControlRequest, CancellationToken, Task<ControlReply>> answer, ILogger log)
{
    /// <summary>Serves until cancelled; a socket it cannot bind is logged once and the daemon goes on without it.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var listener = await BindAsync(cancellationToken);
        if (listener is null)
        {
            await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        using var slots = new SemaphoreSlim(ControlSocket.MaxConcurrentRequests, ControlSocket.MaxConcurrentRequests);
        var running = new List<Task>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var client = await listener.AcceptAsync(cancellationToken);
                running.RemoveAll(t => t.IsCompleted);
                running.Add(ServeAsync(client, slots, cancellationToken));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(running);
            TryDelete();
        }
    }

    private async Task<Socket?> BindAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            if (Path.Exists(path) || new FileInfo(path).LinkTarget is not null)
            {
                if (await ControlClient.AnswersAsync(path, cancellationToken))
                {
                    ControlLog.AnotherAgent(log, path);
                    socket.Dispose();
                    return null;
                }

                // unlink(2): removes a link itself, never what it points at.
                File.Delete(path);
                ControlLog.StaleReplaced(log, path);
            }

            // The process umask is 077 (ProcessUmask), so the socket is born 0700 at most; 0600 is what it needs.
            socket.Bind(new UnixDomainSocketEndPoint(path));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            socket.Listen(ControlSocket.MaxConcurrentRequests * 4);
            ControlLog.Serving(log, path);
            return socket;
        }
        catch (Exception ex) when (ex is SocketException or IOException or UnauthorizedAccessException or ArgumentException or OperatorException)
        {
            // ArgumentException: the path is longer than sun_path (108 bytes) allows.
            socket.Dispose();
            ControlLog.CannotServe(log, path, ex.Message);
            return null;
        }
    }

    /// <summary>One connection: a bounded line in, a line out. Catches everything itself (a started task).</summary>
    private async Task ServeAsync(Socket client, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        var verb = "?";
        try
        {
            using var _ = client;
            await slots.WaitAsync(cancellationToken);
            try
            {
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                bounded.CancelAfter(ControlSocket.Timeout);
                var line = await ReadLineAsync(client, ControlSocket.MaxRequestBytes, bounded.Token);
                ControlReply reply;
                if (line is null || Parse(line) is not { } request)
                {
                    ControlLog.BadRequest(log, line is null ? "no line within the bound" : "not a control request");
                    reply = new ControlReply(Error: "not a control request: send one JSON line such as {\"verb\":\"status\"}");
                }
                else
                {
                    verb = Text.AttackerText.Escape(request.Verb, 32);
                    reply = await answer(request, bounded.Token);
                }

                var bytes = JsonSerializer.SerializeToUtf8Bytes(reply, ControlJson.Default.ControlReply);
                await client.SendAsync(bytes.Append((byte)'\n').ToArray(), SocketFlags.None, bounded.Token);
            }
            finally
            {
                slots.Release();
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
            // The verb went away: nothing to answer.
        }
        catch (Exception ex)
        {
            ControlLog.RequestFailed(log, ex, verb);
        }
    }

    private static ControlRequest? Parse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, ControlJson.Default.ControlRequest) is { Verb: not null } request ? request : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Reads up to the first newline, at most <paramref name="max"/> bytes; null when none came within them.</summary>
    internal static async Task<string?> ReadLineAsync(Socket socket, int max, CancellationToken cancellationToken)
    {
        var buffer = new byte[Math.Min(max, 64 * 1024)];
        using var line = new MemoryStream();
        while (line.Length < max)
        {
            var count = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (count == 0)
            {
                return null;
            }

            var newline = Array.IndexOf(buffer, (byte)'\n', 0, count);
            line.Write(buffer, 0, newline >= 0 ? newline : count);
            if (newline >= 0)
            {
                return line.Length <= max ? Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length) : null;
            }
        }

        return null;
    }

    private void TryDelete()
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ControlLog.CannotServe(log, path, ex.Message);
        }
    }
}
