using System.Collections.Concurrent;
using System.Net;
using Serilog;
using Tarpit.Config;
using Tarpit.Tarpits.Engine;
using Tarpit.Tarpits.Events;

namespace Tarpit.SystemTests.Tarpits.Ssh;

/// <summary>
/// A real <see cref="TarpitServer"/> with one SSH tarpit, in-process on a free loopback port, with the real mode
/// registry. Disposal stops it (bounded) whatever the test did.
/// </summary>
internal sealed class SshTarpitUnderTest : IAsyncDisposable, IConnectionEventSink
{
    private readonly ConcurrentQueue<ConnectionEvent> _events = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TarpitServer _server;
    private readonly Task _run;

    private SshTarpitUnderTest(TarpitConfig tarpit, string? stateDir)
    {
        var agent = AgentConfig.Defaults(Path.GetTempPath());
        agent = stateDir is null ? agent : agent with { StateDir = stateDir };
        var config = new ConfigFile("tarpit.toml", agent, FirewallConfig.Defaults, [tarpit], [], GeoIpConfig.Off);
        _server = new TarpitServer(config, [this], new LoggerConfiguration().CreateLogger(), TimeProvider.System);
        _run = _server.RunAsync(_stop.Token);
    }

    public int Port => _server.Endpoints[0].Endpoint.Port;

    public IReadOnlyList<ConnectionEvent> Events => [.. _events];

    public static TarpitConfig Config(string mode, bool verifyClient = false) => Config(mode, verifyClient, TimeSpan.FromMilliseconds(150), dripBytes: 64);

    /// <summary>A config with the given timing; <paramref name="banner"/> may be "auto" with <paramref name="redirectPort"/> the real sshd's.</summary>
    public static TarpitConfig Config(
        string mode,
        bool verifyClient,
        TimeSpan interval,
        int dripBytes = 4,
        double jitter = 0.3,
        TimeSpan? probeDelay = null,
        string banner = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3",
        int? redirectPort = null) => new(
        Name: "ssh-system-test",
        Protocol: TarpitProtocol.Ssh,
        Mode: mode,
        Listen: [new IPEndPoint(IPAddress.Loopback, 0)],
        RedirectPorts: redirectPort is { } port ? [port] : [],
        Decoy: false,
        VerifyClient: verifyClient,
        ProbeDelay: probeDelay ?? TimeSpan.FromSeconds(1),
        Banner: banner,
        Interval: interval,
        Jitter: jitter,
        DripBytes: dripBytes,
        MaxHold: TimeSpan.FromMinutes(10),
        MaxClients: 4096,
        MaxClientsPerIp: 4096,
        Http: null);

    /// <summary>Starts a server; with <paramref name="stateDir"/> as its agent's state dir (where its own host keys are kept).</summary>
    public static async Task<SshTarpitUnderTest> StartAsync(TarpitConfig tarpit, string? stateDir = null)
    {
        var underTest = new SshTarpitUnderTest(tarpit, stateDir);
        await underTest._server.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        return underTest;
    }

    public IReadOnlyList<ConnectionEvent> OfKind(ConnectionEventKind kind) => [.. _events.Where(e => e.Kind == kind)];

    /// <summary>Cancels the server and waits (bounded) for it to close everything and return.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public void Handle(ConnectionEvent connectionEvent) => _events.Enqueue(connectionEvent);

    public async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }
}
