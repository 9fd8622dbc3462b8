using System.Net.Sockets;
using System.Text.Json;

namespace Tarpit.Agent.Control;

/// <summary>
/// A verb's side of the control socket: one request, one reply. "Not running" is no socket file, or one nobody
/// answers on (connection refused: a run that ended without removing it).
/// </summary>
internal static class ControlClient
{
    /// <summary>The daemon's reply, or null when no daemon answers on <paramref name="path"/>.</summary>
    public static async Task<ControlReply?> AskAsync(string path, ControlRequest request, CancellationToken cancellationToken)
    {
        using var socket = await ConnectAsync(path, cancellationToken);
        if (socket is null)
        {
            return null;
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(ControlSocket.Timeout);
        try
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(request, ControlJson.Default.ControlRequest);
            await socket.SendAsync(bytes.Append((byte)'\n').ToArray(), SocketFlags.None, bounded.Token);
            var line = await ControlServer.ReadLineAsync(socket, ControlSocket.MaxReplyBytes, bounded.Token)
                ?? throw new OperatorException($"the agent closed {path} without a reply; see its log (journalctl -u tarpit-agent)", ExitCodes.Failure);
            return JsonSerializer.Deserialize(line, ControlJson.Default.ControlReply)
                ?? throw new OperatorException($"the agent's reply on {path} is empty", ExitCodes.Failure);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OperatorException($"the agent did not answer on {path} within {ControlSocket.Timeout.TotalSeconds:0} s; it may be overloaded or stuck", ExitCodes.Failure);
        }
        catch (JsonException ex)
        {
            throw new OperatorException($"the reply on {path} is not the agent's ({ex.Message})", ExitCodes.Failure);
        }
    }

    /// <summary>True when something accepts a connection on <paramref name="path"/>.</summary>
    public static async Task<bool> AnswersAsync(string path, CancellationToken cancellationToken)
    {
        using var socket = await ConnectAsync(path, cancellationToken);
        return socket is not null;
    }

    private static async Task<Socket?> ConnectAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path) && !Path.Exists(path))
        {
            return null;
        }

        UnixDomainSocketEndPoint endpoint;
        try
        {
            endpoint = new UnixDomainSocketEndPoint(path);
        }
        catch (ArgumentException)
        {
            // Longer than sun_path allows: the daemon could not bind it either (it says so in its log).
            return null;
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return socket;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable or SocketError.AccessDenied)
        {
            socket.Dispose();
            return ex.SocketErrorCode is SocketError.AccessDenied
                ? throw new OperatorException($"cannot use {path}: permission denied (run as root or as the agent's user)", ExitCodes.Failure)
                : null;
        }
        catch (SocketException)
        {
            // Not a socket (ENOTSOCK) or gone meanwhile: nobody answers.
            socket.Dispose();
            return null;
        }
    }
}
