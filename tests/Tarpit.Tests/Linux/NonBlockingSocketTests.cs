using System.Net;
using System.Net.Sockets;
using Tarpit.Linux;

namespace Tarpit.Tests.Linux;

public sealed class NonBlockingSocketTests : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly Socket _client = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
    private readonly Socket _server;

    public NonBlockingSocketTests()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1);
        _client.Connect(_listener.LocalEndPoint!);
        _server = _listener.Accept();
    }

    private int ServerDescriptor => (int)_server.Handle;

    public void Dispose()
    {
        _server.Dispose();
        _client.Dispose();
        _listener.Dispose();
    }

    [Fact]
    public void Receiving_when_nothing_came_is_WouldBlock_and_leaves_the_socket_blocking()
    {
        var error = NonBlockingSocket.Receive(ServerDescriptor, new byte[16], out var received);

        Assert.Equal(SocketError.WouldBlock, error);
        Assert.Equal(0, received);
        Assert.True(_server.Blocking);
    }

    [Fact]
    public void What_is_sent_arrives_and_is_received_without_waiting()
    {
        var error = NonBlockingSocket.Send(ServerDescriptor, "SSH-2.0-x\r\n"u8, out var sent);
        var atClient = new byte[64];
        var count = _client.Receive(atClient);
        _client.Send("hello"u8);
        SpinUntilAvailable(_server);
        var atServer = new byte[64];
        var received = NonBlockingSocket.Receive(ServerDescriptor, atServer, out var got);

        Assert.Equal(SocketError.Success, error);
        Assert.Equal(11, sent);
        Assert.Equal("SSH-2.0-x\r\n"u8.ToArray(), atClient[..count]);
        Assert.Equal(SocketError.Success, received);
        Assert.Equal("hello"u8.ToArray(), atServer[..got]);
    }

    [Fact]
    public void A_closed_client_reads_as_zero_bytes()
    {
        _client.Shutdown(SocketShutdown.Send);
        SpinUntil(() => _server.Poll(0, SelectMode.SelectRead));

        Assert.Equal(SocketError.Success, NonBlockingSocket.Receive(ServerDescriptor, new byte[16], out var received));
        Assert.Equal(0, received);
    }

    [Theory]
    [InlineData(11, SocketError.WouldBlock)]
    [InlineData(32, SocketError.Shutdown)]
    [InlineData(104, SocketError.ConnectionReset)]
    [InlineData(110, SocketError.TimedOut)]
    [InlineData(9, SocketError.SocketError)]
    public void Errno_values_are_named_as_dotnet_names_them(int errno, SocketError expected)
    {
        Assert.Equal(expected, NonBlockingSocket.ErrorOf(errno));
    }

    private static void SpinUntilAvailable(Socket socket) => SpinUntil(() => socket.Available > 0);

    private static void SpinUntil(Func<bool> condition)
    {
        Assert.True(SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(5)), "timed out");
    }
}
