using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Tarpit.Config;
using Tarpit.Tarpits.Engine;
using Tarpit.Tarpits.Events;
using Tarpit.Tests.Crowdsec;
using Xunit.Abstractions;

namespace Tarpit.Tests.Tarpits.Engine;

/// <summary>
/// Issue 16, RSS per held SSH connection toward 128 B: what each held connection keeps on the managed heap, and what
/// an accept and a drip allocate on the way (the garbage the GC keeps committed between collections, which RSS keeps),
/// through the real accept loop (<see cref="TarpitListener"/>), the scheduler's <see cref="TarpitScheduler.RunOnce"/>
/// on a fake clock, and the mode bench/ssh-hold/run measures (endless-banner, no verification), with the events
/// dispatched to a sink that drops them and an Information logger that writes nowhere, as the agent's.
/// The heap is the process's: the class runs alone (<see cref="RunsAlone"/>), not beside other tests.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class HeldFootprintTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Connections per round: they wait in the listener's backlog (<see cref="TarpitListener.ListenBacklog"/>) until measured.</summary>
    private const int PerRound = 1_000;

    /// <summary>Rounds: 4,000 held connections, enough for the per-connection figures to stand above one test's heap noise.</summary>
    private const int Rounds = 4;

    /// <summary>Drips measured per held connection after the accepts.</summary>
    private const int Drips = 3;

    /// <summary>
    /// A regression guard on the managed bytes each held connection keeps (measured 270 B before this work's first
    /// step, 206 B with a <c>HeldConnection</c> object and a session object per connection, 124-130 B since the
    /// connection is a 96-byte slot of the <c>ConnectionTable</c> and endless-banner's state lives in it); the 128 B
    /// of RSS the issue aims at are all of the process's cost, so this only catches a field or an object per
    /// connection coming back, not the target itself.
    /// </summary>
    private const int MaxKeptBytesPerConnection = 170;

    /// <summary>
    /// The HTTP guard: an SSH hold's bytes and the request's first bytes as sent (in a <c>HeldConnectionExtras</c>).
    /// Measured 952 B while the connection kept what its session observed (a dictionary of four findings) and its
    /// first bytes escaped as a string, 358-371 B without them, 274-285 B since endless-header hands its connections
    /// to the mode's one <c>EndlessHeaderHold</c> (the line in the slot's 64-bit state); the session object or the
    /// findings coming back would pass it.
    /// </summary>
    private const int MaxKeptBytesPerHttpConnection = 350;

    /// <summary>
    /// The TLS guard: an SSH hold's bytes, the session object with its flight still to send (slow-hello drips its
    /// ServerHello; endless-hello-request sent it at once and keeps only the stalled record) and the first bytes
    /// that decide their escaped text (65 of a binary ClientHello). Measured 558-712 B with the findings kept and 257
    /// raw bytes, 433-593 B without.
    /// </summary>
    private const int MaxKeptBytesPerTlsConnection = 650;

    /// <summary>What bench/http-tls/hold.py sends.</summary>
    private static readonly byte[] HoldPyRequest = "GET / HTTP/1.1\r\nHost: bench\r\nUser-Agent: hold.py\r\nAccept-Encoding: gzip\r\n\r\n"u8.ToArray();

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
    private readonly List<Socket> _clients = [];

    public void Dispose() => _clients.ForEach(c => c.Dispose());

    [Fact]
    public async Task A_held_ssh_connection_keeps_little_and_its_accept_and_drips_allocate_little()
    {
        var config = TarpitConfigs.Listener(maxClients: (PerRound * Rounds) + 1, maxClientsPerIp: (PerRound * Rounds) + 1) with
        {
            Mode = ModeCatalog.SshEndlessBanner,
            VerifyClient = false,
            Interval = TimeSpan.FromSeconds(1),
            Jitter = 0.2,
        };
        var perConnection = await MeasureAsync(config, request: null);
        Assert.InRange(perConnection, 0, MaxKeptBytesPerConnection);
    }

    /// <summary>
    /// The HTTP half (bench/http-tls/held): a verified endless-header connection, held after the request hold.py sends.
    /// What it keeps beyond an SSH hold is its session object and what the client sent first; what the session
    /// observed (method, path, host, user agent) and the request capture leave with its events and are not kept.
    /// </summary>
    [Fact]
    public async Task A_held_http_connection_keeps_no_more_than_its_session_and_first_bytes()
    {
        var config = TarpitConfigs.Listener(maxClients: (PerRound * Rounds) + 1, maxClientsPerIp: (PerRound * Rounds) + 1) with
        {
            Protocol = TarpitProtocol.Http,
            Mode = ModeCatalog.HttpEndlessHeader,
            VerifyClient = true,
            Interval = TimeSpan.FromSeconds(1),
            Jitter = 0.2,
            Http = new HttpTarpitOptions(TarpitSection.DefaultContentLength, TarpitSection.DefaultBombSize, TarpitSection.DefaultRealm),
        };
        var perConnection = await MeasureAsync(config, HoldPyRequest);
        Assert.InRange(perConnection, 0, MaxKeptBytesPerHttpConnection);
    }

    /// <summary>
    /// The TLS half: a TLS 1.3 ClientHello (as hold.py's: SNI, x25519), answered and held by the mode. Beyond an SSH
    /// hold it keeps its session object, the flight it still has to send and what the client sent first.
    /// </summary>
    [Theory]
    [InlineData(ModeCatalog.TlsSlowHello)]
    [InlineData(ModeCatalog.TlsEndlessHelloRequest)]
    public async Task A_held_tls_connection_keeps_no_more_than_its_session_its_flight_and_first_bytes(string mode)
    {
        var config = TarpitConfigs.Listener(maxClients: (PerRound * Rounds) + 1, maxClientsPerIp: (PerRound * Rounds) + 1) with
        {
            Protocol = TarpitProtocol.Tls,
            Mode = mode,
            VerifyClient = true,
            Interval = TimeSpan.FromSeconds(1),
            Jitter = 0.2,
            DripBytes = 4,
        };
        var perConnection = await MeasureAsync(config, Tls.ClientHelloBuilder.Build(sni: "bench.example", alpn: [], keyShare: true));
        Assert.InRange(perConnection, 0, MaxKeptBytesPerTlsConnection);
    }

    /// <summary>
    /// Holds <see cref="Rounds"/> × <see cref="PerRound"/> connections of <paramref name="config"/>'s mode, each sending
    /// <paramref name="request"/> once connected (none when null), and returns the median round's managed bytes kept per
    /// held connection; prints it with what an accept and a drip allocate.
    /// </summary>
    private async Task<long> MeasureAsync(TarpitConfig config, byte[]? request)
    {
        var log = new LoggerConfiguration().MinimumLevel.Information().WriteTo.Sink(new Discarding()).CreateLogger();
        var dropped = new Dropping();
        var events = new ConnectionEvents([dropped], log, _time);
        using var dispatch = new CancellationTokenSource();
        var dispatcher = Task.Run(() => events.RunAsync(dispatch.Token));
        using var scheduler = new TarpitScheduler(events, log, _time, new Random(3));
        using var tarpit = new TarpitRuntime(config, ModeFactory.Create(config));
        using var listener = TarpitListener.Bind(tarpit, new IPEndPoint(IPAddress.Loopback, 0), log, _time);
        using var stop = new CancellationTokenSource();

        // The loop accepts only with a slot: the test holds them all while a round's clients connect into the backlog.
        while (tarpit.Slots.Wait(0))
        {
        }

        var loop = listener.AcceptLoopAsync(scheduler, stop.Token);
        Connect(listener.Endpoint, 1, request);
        Admit(tarpit, scheduler, 1, dropped, request is not null); // warm: the accept path, the admission, the first drip run once

        long kept = 0, allocated = 0;
        var keptPerRound = new long[Rounds];
        for (var round = 0; round < Rounds; round++)
        {
            Connect(listener.Endpoint, PerRound, request);
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            Admit(tarpit, scheduler, PerRound, dropped, request is not null);
            allocated += GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            keptPerRound[round] = GC.GetTotalMemory(forceFullCollection: true) - before;
            kept += keptPerRound[round];
        }

        var count = PerRound * Rounds;
        var dripsBefore = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < Drips; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1.2));
            scheduler.RunOnce();
        }

        var perDrip = (GC.GetTotalAllocatedBytes(precise: true) - dripsBefore) / (count * Drips);
        Assert.Equal(count + 1, scheduler.Held);
        output.WriteLine($"{config.Protocol} {config.Mode}: kept {kept / count} B per held connection, allocated {allocated / count} B per accept, {perDrip} B per drip ({count} connections)");

        await stop.CancelAsync();
        await loop;
        scheduler.CloseAll();
        events.Complete();
        await dispatcher;
        // The median round: a round in which something else of the test process allocated (a timer, a test class
        // finishing in the background) or the scheduler's tables doubled is not the connections' cost.
        Array.Sort(keptPerRound);
        var medianPerConnection = (keptPerRound[(Rounds - 1) / 2] + keptPerRound[Rounds / 2]) / 2 / PerRound;
        output.WriteLine($"median round: kept {medianPerConnection} B per held connection");
        return medianPerConnection;
    }

    /// <summary>Connects <paramref name="count"/> clients; the kernel completes their handshakes into the listener's backlog.</summary>
    private void Connect(IPEndPoint endpoint, int count, byte[]? request)
    {
        for (var i = 0; i < count; i++)
        {
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(endpoint);
            if (request is not null)
            {
                client.Send(request);
            }

            _clients.Add(client);
        }
    }

    /// <summary>
    /// Gives the accept loop <paramref name="count"/> slots and runs passes until it and the scheduler took them all in.
    /// Waits with Thread.Sleep, which allocates nothing (a Task.Delay per turn would be counted as the accepts').
    /// </summary>
    /// <param name="verified">The clients send a request: passes run (the clock moved past the first input poll) until each is verified.</param>
    private void Admit(TarpitRuntime tarpit, TarpitScheduler scheduler, int count, Dropping dropped, bool verified)
    {
        var target = scheduler.Held + count;
        var verifiedTarget = dropped.Verified + count;
        tarpit.Slots.Release(count);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (scheduler.Held < target && DateTime.UtcNow < deadline)
        {
            scheduler.RunOnce();
            Thread.Sleep(1);
        }

        Assert.Equal(target, scheduler.Held);
        while (verified && dropped.Verified < verifiedTarget && DateTime.UtcNow < deadline)
        {
            _time.Advance(TarpitScheduler.MaxPoll);
            scheduler.RunOnce();
            Thread.Sleep(1);
        }

        Assert.True(!verified || dropped.Verified >= verifiedTarget, $"{dropped.Verified} of {verifiedTarget} verified");
        // The events leave the queue (the dispatcher drops them), as the agent's sinks take them: at least an Opened
        // each, then until the dispatcher has been idle for a while.
        while (dropped.Handled < target && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(1);
        }

        for (var handled = -1; handled != dropped.Handled && DateTime.UtcNow < deadline;)
        {
            handled = dropped.Handled;
            Thread.Sleep(20);
        }
    }

    /// <summary>Counts the events it is handed and keeps none.</summary>
    private sealed class Dropping : IConnectionEventSink
    {
        private int _handled;
        private int _verified;

        public int Handled => Volatile.Read(ref _handled);

        public int Verified => Volatile.Read(ref _verified);

        public void Handle(ConnectionEvent connectionEvent)
        {
            if (connectionEvent.Kind == ConnectionEventKind.Verified)
            {
                Interlocked.Increment(ref _verified);
            }

            Interlocked.Increment(ref _handled);
        }
    }

    private sealed class Discarding : ILogEventSink
    {
        public void Emit(LogEvent logEvent)
        {
        }
    }
}
