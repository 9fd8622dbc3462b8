using System.Net.Sockets;
using System.Text;
using Serilog;
using Tarpit.Agent.Control;

namespace Tarpit.Tests.Control;

/// <summary>The control socket over a real Unix socket in a private temporary directory.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ControlSocketTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("tarpit-control-");
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));

    private string SocketPath => ControlSocket.PathIn(_dir.FullName);

    public void Dispose()
    {
        _timeout.Dispose();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task No_socket_file_means_not_running()
    {
        var reply = await ControlClient.AskAsync(SocketPath, new ControlRequest(ControlRequest.Status), _timeout.Token);

        Assert.Null(reply);
    }

    [Fact]
    public async Task A_state_dir_too_long_for_a_unix_socket_means_not_running_and_the_server_serves_nothing_without_failing()
    {
        var longPath = Path.Combine(_dir.FullName, new string('d', 120), ControlSocket.FileName);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_timeout.Token);
        var server = new ControlServer(longPath, (_, _) => Task.FromResult(new ControlReply()), Log.Logger);
        var running = server.RunAsync(stop.Token);

        var reply = await ControlClient.AskAsync(longPath, new ControlRequest(ControlRequest.Status), _timeout.Token);
        await stop.CancelAsync();
        await running;

        Assert.Null(reply);
        Assert.True(running.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_stale_socket_nobody_answers_on_means_not_running_and_the_server_replaces_it_and_answers_then_removes_it()
    {
        using (var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            stale.Bind(new UnixDomainSocketEndPoint(SocketPath));
        }

        Assert.Null(await ControlClient.AskAsync(SocketPath, new ControlRequest(ControlRequest.Status), _timeout.Token));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_timeout.Token);
        var server = new ControlServer(SocketPath, (request, _) => Task.FromResult(new ControlReply(Error: "echo " + request.Verb)), Log.Logger);
        var running = server.RunAsync(stop.Token);
        var reply = await AskWhenServingAsync(new ControlRequest("held"));

        Assert.Equal("echo held", reply.Error);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SocketPath));
        await stop.CancelAsync();
        await running;
        Assert.False(Path.Exists(SocketPath));
    }

    [Fact]
    public async Task A_line_that_is_not_a_request_gets_an_error_reply_and_the_server_goes_on()
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_timeout.Token);
        var server = new ControlServer(SocketPath, (request, _) => Task.FromResult(new ControlReply(Error: "ok " + request.Verb)), Log.Logger);
        var running = server.RunAsync(stop.Token);
        await AskWhenServingAsync(new ControlRequest("first"));

        using var raw = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await raw.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), _timeout.Token);
        await raw.SendAsync(Encoding.UTF8.GetBytes("not json\n"), SocketFlags.None, _timeout.Token);
        var answer = await ControlServer.ReadLineAsync(raw, ControlSocket.MaxReplyBytes, _timeout.Token);
        var after = await ControlClient.AskAsync(SocketPath, new ControlRequest("second"), _timeout.Token);

        Assert.Contains("not a control request", answer, StringComparison.Ordinal);
        Assert.Equal("ok second", after?.Error);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_line_longer_than_the_bound_is_not_read_as_a_request()
    {
        using var pair = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        listener.Listen(1);
        await pair.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), _timeout.Token);
        using var accepted = await listener.AcceptAsync(_timeout.Token);
        await pair.SendAsync(Encoding.ASCII.GetBytes(new string('a', ControlSocket.MaxRequestBytes + 10) + "\n"), SocketFlags.None, _timeout.Token);

        var line = await ControlServer.ReadLineAsync(accepted, ControlSocket.MaxRequestBytes, _timeout.Token);

        Assert.Null(line);
    }

    /// <summary>Asks until the server has bound its socket (it starts on another task).</summary>
    private async Task<ControlReply> AskWhenServingAsync(ControlRequest request)
    {
        while (true)
        {
            if (await ControlClient.AskAsync(SocketPath, request, _timeout.Token) is { } reply)
            {
                return reply;
            }

            await Task.Delay(20, _timeout.Token);
        }
    }
}
