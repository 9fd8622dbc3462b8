using System.Net;
using System.Net.Sockets;
using Tarpit.Linux;
using Tarpit.Tarpits.Engine;

namespace Tarpit.Tests.Tarpits.Engine;

/// <summary>Real loopback connections for scheduler tests: the client end, and the server end as an accept loop hands it over.</summary>
internal sealed class LoopbackPair : IDisposable
{
    private readonly Socket _listener;

    public LoopbackPair()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
    }

    public List<Socket> Clients { get; } = [];

    /// <summary>Connects a client and returns the accepted server end, described for <paramref name="tarpit"/>.</summary>
    public (Socket Client, AcceptedConnection Accepted) Connect(TarpitRuntime tarpit)
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        client.Connect(_listener.LocalEndPoint!);
        Clients.Add(client);
        var server = _listener.Accept();
        var local = ((IPEndPoint)server.LocalEndPoint!).Port;
        var remote = (IPEndPoint)server.RemoteEndPoint!;
        Assert.True(tarpit.Slots.Wait(0), "the test took more slots than max_clients");
        return (client, new AcceptedConnection(SocketDescriptor.TakeOver(server), tarpit, remote, local, local));
    }

    /// <summary>Everything the client can read right now without waiting.</summary>
    public static byte[] ReadAvailable(Socket client)
    {
        var buffer = new byte[65536];
        var total = new List<byte>();
        while (client.Available > 0)
        {
            var n = client.Receive(buffer);
            total.AddRange(buffer.AsSpan(0, n));
        }

        return [.. total];
    }

    /// <summary>Waits (bounded) until the kernel has delivered something to the client, then reads it.</summary>
    public static byte[] ReadSome(Socket client, int atLeast = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (client.Available < atLeast && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(1);
        }

        return ReadAvailable(client);
    }

    /// <summary>True when the server closed: the client reads end of stream (or a reset) within 5 s.</summary>
    public static bool SeesClose(Socket client)
    {
        client.ReceiveTimeout = 5000;
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                if (client.Receive(buffer) == 0)
                {
                    return true;
                }
            }
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset)
        {
            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return false;
        }
    }

    public void Dispose()
    {
        Clients.ForEach(c => c.Dispose());
        _listener.Dispose();
    }
}
