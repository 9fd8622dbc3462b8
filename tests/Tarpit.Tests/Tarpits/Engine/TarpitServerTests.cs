using System.Net;
using System.Net.Sockets;
using Tarpit.Tarpits.Events;

namespace Tarpit.Tests.Tarpits.Engine;

public sealed class TarpitServerTests
{
    [Fact]
    public async Task Listens_holds_clients_and_on_shutdown_closes_them_and_publishes_Closed()
    {
        await using var running = await RunningServer.Start(TestMode.Drip(TimeSpan.FromMilliseconds(50)), TarpitConfigs.Listener("ssh-test")).ReadyAsync();
        var clients = Enumerable.Range(0, 3).Select(_ => running.Connect()).ToList();
        Assert.All(clients, c => Assert.Equal((byte)'.', LoopbackPair.ReadSome(c)[0]));

        await running.StopAsync();

        Assert.All(clients, c => Assert.True(LoopbackPair.SeesClose(c)));
        var closed = running.Sink.OfKind(ConnectionEventKind.Closed);
        Assert.Equal(3, closed.Count);
        Assert.All(closed, e => Assert.True(e.BytesSent >= 1));
        Assert.All(closed, e => Assert.Equal(e.LocalPort, e.OriginalPort));
        var listening = Assert.Single(running.Log.Events, e => e.MessageTemplate.Text == "Tarpit {Tarpit} ({Protocol}/{Mode}) listening on {Endpoint}");
        Assert.Equal("\"ssh-test\"", listening.Properties["Tarpit"].ToString());
        Assert.Equal("\"test-drip\"", listening.Properties["Mode"].ToString());
        Assert.Contains(running.Endpoint.ToString(), listening.Properties["Endpoint"].ToString(), StringComparison.Ordinal);
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task A_port_in_use_fails_with_an_operator_error_naming_the_address_and_the_OS_error()
    {
        using var occupier = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        occupier.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        occupier.Listen(1);
        var taken = (IPEndPoint)occupier.LocalEndPoint!;
        await using var running = RunningServer.Start(TestMode.Drip(TimeSpan.FromSeconds(1)), TarpitConfigs.Listener("busy", listen: [taken]));

        var error = await Assert.ThrowsAsync<OperatorException>(() => running.Run.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Contains($"Tarpit 'busy' cannot listen on {taken}", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddressAlreadyInUse", error.Message, StringComparison.Ordinal);
        Assert.Contains("ss -ltnp", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<OperatorException>(() => running.Server.Ready);
    }

    [Fact]
    public async Task An_address_this_host_does_not_have_fails_with_an_operator_error_naming_the_tarpit_and_the_address()
    {
        var foreign = new IPEndPoint(IPAddress.Parse("192.0.2.123"), 0);
        await using var running = RunningServer.Start(
            TestMode.Drip(TimeSpan.FromSeconds(1)),
            TarpitConfigs.Listener("first"),
            TarpitConfigs.Listener("second", listen: [foreign]));

        var error = await Assert.ThrowsAsync<OperatorException>(() => running.Run.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Contains("Tarpit 'second' cannot listen on 192.0.2.123:0", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddressNotAvailable", error.Message, StringComparison.Ordinal);
        Assert.Contains("ip addr", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_max_clients_new_clients_wait_in_the_backlog_until_a_slot_frees()
    {
        await using var running = await RunningServer.Start(
            TestMode.Drip(TimeSpan.FromMilliseconds(50)),
            TarpitConfigs.Listener(maxClients: 2)).ReadyAsync();
        var first = running.Connect();
        var second = running.Connect();
        Assert.NotEmpty(LoopbackPair.ReadSome(first));
        Assert.NotEmpty(LoopbackPair.ReadSome(second));

        using var waiting = running.Connect();
        await Task.Delay(200);
        var whileFull = waiting.Available;
        first.LingerState = new LingerOption(true, 0);
        first.Close();

        Assert.Equal(0, whileFull);
        Assert.NotEmpty(LoopbackPair.ReadSome(waiting));
        Assert.True(await RunningServer.EventuallyAsync(() => running.Server.Scheduler!.Held == 2));
        second.Dispose();
    }

    [Fact]
    public async Task A_dual_stack_listener_reports_an_IPv4_client_as_plain_IPv4()
    {
        await using var running = await RunningServer.Start(
            TestMode.Drip(TimeSpan.FromSeconds(10)),
            TarpitConfigs.Listener(listen: [new IPEndPoint(IPAddress.IPv6Any, 0)])).ReadyAsync();
        using var v4 = running.Connect(new IPEndPoint(IPAddress.Loopback, running.Endpoint.Port));
        using var v6 = running.Connect(new IPEndPoint(IPAddress.IPv6Loopback, running.Endpoint.Port));
        LoopbackPair.ReadSome(v4);
        LoopbackPair.ReadSome(v6);

        await running.StopAsync();

        var remotes = running.Sink.OfKind(ConnectionEventKind.Opened).Select(e => e.Remote.Address).ToList();
        Assert.Contains(IPAddress.Loopback, remotes);
        Assert.Contains(IPAddress.IPv6Loopback, remotes);
    }

    [Fact]
    public async Task A_thousand_clients_are_held_at_once_on_the_one_scheduler_thread_and_all_released_on_shutdown()
    {
        const int Clients = 1000;
        await using var running = await RunningServer.Start(TestMode.Drip(TimeSpan.FromMilliseconds(500)), TarpitConfigs.Listener()).ReadyAsync();
        var threadsBefore = System.Diagnostics.Process.GetCurrentProcess().Threads.Count;
        var clients = new List<Socket>(Clients);
        try
        {
            for (var i = 0; i < Clients; i++)
            {
                clients.Add(running.Connect());
            }

            Assert.True(await RunningServer.EventuallyAsync(() => running.Server.Scheduler!.Held == Clients, TimeSpan.FromSeconds(30)));
            Assert.True(await RunningServer.EventuallyAsync(() => clients.All(c => c.Available > 0), TimeSpan.FromSeconds(30)));
            var threadsHolding = System.Diagnostics.Process.GetCurrentProcess().Threads.Count;

            await running.StopAsync();

            Assert.InRange(threadsHolding - threadsBefore, -50, 50);
            Assert.Equal(Clients, running.Sink.OfKind(ConnectionEventKind.Closed).Count);
            Assert.Equal(Clients, running.Sink.OfKind(ConnectionEventKind.Opened).Select(e => e.ConnectionId).Distinct().Count());
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }
}
