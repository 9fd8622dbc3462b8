using System.Net;
using System.Net.Sockets;
using Tarpit.SystemTests.Infrastructure;
using Tarpit.Tarpits.Events;

namespace Tarpit.SystemTests.Tarpits.Ssh;

public sealed class ThousandConnectionsSystemTests
{
    private const int Connections = 1000;

    [SystemFact(false)]
    public async Task A_thousand_held_connections_all_receive_bytes_and_all_close_cleanly_on_shutdown()
    {
        Prerequisites.Require(false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var fdsBefore = OpenFileDescriptors();
        var clients = new List<Socket>(Connections);
        try
        {
            var tarpit = await SshTarpitUnderTest.StartAsync(SshTarpitUnderTest.Config("endless-banner"));
            await using (tarpit)
            {
                for (var i = 0; i < Connections; i++)
                {
                    var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    clients.Add(client);
                    await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, tarpit.Port), timeout.Token);
                }

                var buffer = new byte[4096];
                foreach (var client in clients)
                {
                    var read = await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                    Assert.True(read > 0, "a held connection received nothing");
                }

                Assert.True(await EventuallyAsync(() => tarpit.OfKind(ConnectionEventKind.Opened).Count == Connections, timeout.Token));

                await tarpit.StopAsync();

                foreach (var client in clients)
                {
                    Assert.True(await ReadsUntilClosedAsync(client, buffer, timeout.Token), "a connection stayed open after shutdown");
                }

                var closed = tarpit.OfKind(ConnectionEventKind.Closed);
                Assert.Equal(Connections, closed.Count);
                Assert.Equal(Connections, closed.Select(e => e.ConnectionId).Distinct().Count());
                Assert.All(closed, e => Assert.True(e.BytesSent > 0));
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }

        Assert.True(
            await EventuallyAsync(() => OpenFileDescriptors() <= fdsBefore + 16, timeout.Token),
            $"file descriptors leaked: {fdsBefore} before, {OpenFileDescriptors()} after");
    }

    /// <summary>Drains what the tarpit sent until EOF or reset: true when the server closed the connection.</summary>
    private static async Task<bool> ReadsUntilClosedAsync(Socket client, byte[] buffer, CancellationToken cancellationToken)
    {
        using var perClient = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        perClient.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            while (await client.ReceiveAsync(buffer, SocketFlags.None, perClient.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset)
        {
            return true;
        }
        catch (OperationCanceledException) when (perClient.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static int OpenFileDescriptors() => Directory.GetFiles("/proc/self/fd").Length;

    private static async Task<bool> EventuallyAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            await Task.Delay(20, CancellationToken.None);
        }

        return true;
    }
}
