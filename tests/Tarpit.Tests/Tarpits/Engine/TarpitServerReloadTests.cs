using System.Net;
using System.Net.Sockets;
using Tarpit.Config;
using Tarpit.Tarpits;
using Tarpit.Tarpits.Engine;
using Tarpit.Tarpits.Events;
using Tarpit.Tests.Tarpits.Events;

namespace Tarpit.Tests.Tarpits.Engine;

/// <summary>Issue 13, item 6: a reload changes tarpits in place, never the connections they hold.</summary>
public sealed class TarpitServerReloadTests
{
    private static readonly TimeSpan DripInterval = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task New_settings_reach_new_clients_on_the_kept_socket_while_a_held_client_keeps_its_own()
    {
        await using var running = await Start(TarpitConfigs.Listener("t"));
        var endpoint = running.Server.Endpoints[0].Endpoint;
        using var held = Connect(endpoint);
        Assert.Equal((byte)'.', LoopbackPair.ReadSome(held)[0]);
        var old = TarpitConfigs.Listener("t");

        await running.Server.ReloadAsync(TarpitChange.Between([old], [old with { Interval = TimeSpan.FromSeconds(20) }]), CancellationToken.None);

        Assert.Equal(endpoint, Assert.Single(running.Server.Endpoints).Endpoint);
        using var fresh = Connect(endpoint);
        Assert.True(await RunningServer.EventuallyAsync(() => running.Sink.OfKind(ConnectionEventKind.Opened).Count == 2));
        Assert.Equal(["test-drip", "test-echo"], running.Sink.OfKind(ConnectionEventKind.Opened).Select(e => e.Mode));
        Assert.Equal((byte)'.', LoopbackPair.ReadSome(held)[0]);
        Assert.Empty(running.Sink.OfKind(ConnectionEventKind.Closed));
    }

    [Fact]
    public async Task An_added_listen_address_accepts_and_a_removed_one_closes_without_touching_held_clients()
    {
        var first = new IPEndPoint(IPAddress.Loopback, 0);
        var second = new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0);
        var old = TarpitConfigs.Listener("t", listen: [first]);
        await using var running = await Start(old);
        var firstBound = running.Server.Endpoints[0].Endpoint;
        using var held = Connect(firstBound);
        Assert.Equal((byte)'.', LoopbackPair.ReadSome(held)[0]);

        await running.Server.ReloadAsync(TarpitChange.Between([old], [old with { Listen = [second] }]), CancellationToken.None);

        var secondBound = Assert.Single(running.Server.Endpoints).Endpoint;
        Assert.Equal(second.Address, secondBound.Address);
        using var fresh = Connect(secondBound);
        Assert.Equal((byte)'.', LoopbackPair.ReadSome(fresh)[0]);
        Assert.Throws<SocketException>(() => Connect(firstBound));
        Assert.Equal((byte)'.', LoopbackPair.ReadSome(held)[0]);
    }

    [Fact]
    public async Task A_listen_address_that_cannot_be_bound_refuses_the_reload_and_changes_nothing()
    {
        using var occupier = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        occupier.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        occupier.Listen(1);
        var old = TarpitConfigs.Listener("t");
        await using var running = await Start(old);
        var before = running.Server.Endpoints;
        var file = new[] { old with { Interval = TimeSpan.FromSeconds(20) }, TarpitConfigs.Listener("u", listen: [(IPEndPoint)occupier.LocalEndPoint!]) };

        await Assert.ThrowsAsync<OperatorException>(() => running.Server.ReloadAsync(TarpitChange.Between([old], file), CancellationToken.None));

        Assert.Equal(before, running.Server.Endpoints);
        using var client = Connect(before[0].Endpoint);
        Assert.True(await RunningServer.EventuallyAsync(() => running.Sink.OfKind(ConnectionEventKind.Opened).Count == 1));
        Assert.Equal("test-drip", running.Sink.OfKind(ConnectionEventKind.Opened)[0].Mode);
    }

    /// <summary>The original interval gets a drip mode, any other an echo mode: a test sees which runtime took a client.</summary>
    private static async Task<Running> Start(TarpitConfig tarpit)
    {
        var sink = new CollectingEventSink();
        var log = new CollectingLogSink();
        ITarpitMode Mode(TarpitConfig c) => c.Interval == DripInterval ? TestMode.Drip(TimeSpan.FromMilliseconds(50)) : TestMode.Echo(TimeSpan.FromMinutes(1));
        var server = new TarpitServer(TarpitConfigs.Config(tarpit), [sink], log.CreateLogger(), TimeProvider.System, Mode);
        var stop = new CancellationTokenSource();
        var running = new Running(server, sink, stop, server.RunAsync(stop.Token));
        await server.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        return running;
    }

    private static Socket Connect(IPEndPoint endpoint)
    {
        var client = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        try
        {
            client.Connect(endpoint);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private sealed record Running(TarpitServer Server, CollectingEventSink Sink, CancellationTokenSource Stop, Task Run) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Stop.CancelAsync();
            await Run.WaitAsync(TimeSpan.FromSeconds(30));
            Stop.Dispose();
        }
    }
}
