using System.Net;
using System.Net.Sockets;
using Tarpit.Config;
using Tarpit.Tarpits;
using Tarpit.Tarpits.Engine;
using Tarpit.Tests.Tarpits.Events;

namespace Tarpit.Tests.Tarpits.Engine;

/// <summary>A TarpitServer running on real time and loopback, stopped (and awaited) on dispose.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;

    private RunningServer(TarpitServer server, CancellationTokenSource stop, Task run, CollectingEventSink sink, CollectingLogSink log)
    {
        _stop = stop;
        Server = server;
        Run = run;
        Sink = sink;
        Log = log;
    }

    public TarpitServer Server { get; }

    public Task Run { get; }

    public CollectingEventSink Sink { get; }

    public CollectingLogSink Log { get; }

    public IPEndPoint Endpoint => Server.Endpoints[0].Endpoint;

    /// <summary>Starts RunAsync; await <see cref="ReadyAsync"/> before connecting.</summary>
    public static RunningServer Start(ITarpitMode mode, params TarpitConfig[] tarpits)
    {
        var sink = new CollectingEventSink();
        var log = new CollectingLogSink();
        var server = new TarpitServer(TarpitConfigs.Config(tarpits), [sink], log.CreateLogger(), TimeProvider.System, _ => mode);
        var stop = new CancellationTokenSource();
        return new RunningServer(server, stop, server.RunAsync(stop.Token), sink, log);
    }

    public async Task<RunningServer> ReadyAsync()
    {
        await Server.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        return this;
    }

    /// <summary>Cancels and waits for RunAsync to return (bounded).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public Socket Connect(IPEndPoint? endpoint = null)
    {
        endpoint ??= Endpoint;
        var client = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        client.Connect(endpoint);
        return client;
    }

    /// <summary>Polls (bounded) until the condition holds.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!Run.IsCompleted)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }
}
