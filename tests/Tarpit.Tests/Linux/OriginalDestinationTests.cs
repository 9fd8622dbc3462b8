using System.Net;
using System.Net.Sockets;
using Tarpit.Linux;

namespace Tarpit.Tests.Linux;

public sealed class OriginalDestinationTests
{
    [Fact]
    public void The_port_of_a_sockaddr_in_is_read_big_endian()
    {
        // struct sockaddr_in { sa_family_t AF_INET = 2 (host order); in_port_t 2222 (network order); 192.0.2.1; zero[8] }
        byte[] sockaddr = [2, 0, 0x08, 0xAE, 192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0];

        Assert.Equal(2222, OriginalDestination.ParsePort(sockaddr));
    }

    [Fact]
    public void The_port_of_a_sockaddr_in6_is_read_big_endian()
    {
        var sockaddr = new byte[28];
        sockaddr[0] = 10;
        sockaddr[2] = 0x01;
        sockaddr[3] = 0xBB;

        Assert.Equal(443, OriginalDestination.ParsePort(sockaddr));
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 2, 0, 0 })]
    [InlineData(new byte[] { 1, 0, 0, 22 })]
    [InlineData(new byte[] { 2, 0, 0, 0 })]
    public void Anything_else_is_no_answer(byte[] sockaddr)
    {
        Assert.Null(OriginalDestination.ParsePort(sockaddr));
    }

    [Fact]
    public void A_connection_that_was_not_redirected_reports_the_local_port()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var server = listener.Accept();
        var localPort = ((IPEndPoint)server.LocalEndPoint!).Port;

        var port = OriginalDestination.PortOf((int)server.Handle, ((IPEndPoint)server.RemoteEndPoint!).Address, localPort);

        Assert.Equal(localPort, port);
    }
}
