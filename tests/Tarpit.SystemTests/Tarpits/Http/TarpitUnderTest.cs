using System.Collections.Concurrent;
using System.Net;
using CliWrap;
using CliWrap.Buffered;
using Tarpit.Config;
using Tarpit.Tarpits.Engine;
using Tarpit.Tarpits.Events;

namespace Tarpit.SystemTests.Tarpits.Http;

/// <summary>
/// An in-process <see cref="TarpitServer"/> with the real mode registry, one tarpit on a free loopback port with a
/// fast interval, plus helpers to run real clients against it (bounded by time). Stopped on dispose.
/// </summary>
internal sealed class TarpitUnderTest : IAsyncDisposable, IConnectionEventSink
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ConnectionEvent> _events = new();
    private readonly TarpitServer _server;
    private readonly Task _run;

    private TarpitUnderTest(TarpitConfig listener)
    {
        var config = new ConfigFile("tarpit.toml", AgentConfig.Defaults(Path.GetTempPath()), FirewallConfig.Defaults, [listener], [], GeoIpConfig.Off);
        _server = new TarpitServer(config, [this], new Serilog.LoggerConfiguration().CreateLogger(), TimeProvider.System);
        _run = _server.RunAsync(_stop.Token);
    }

    public IPEndPoint Endpoint => _server.Endpoints[0].Endpoint;

    public int Port => Endpoint.Port;

    public IReadOnlyList<ConnectionEvent> Events => [.. _events];

    public static async Task<TarpitUnderTest> StartAsync(
        TarpitProtocol protocol,
        string mode,
        TimeSpan? interval = null,
        int dripBytes = 16,
        long bombSize = 1L << 30,
        long contentLength = 10_000_000,
        IPEndPoint? endpoint = null,
        CancellationToken cancellationToken = default)
    {
        var listener = new TarpitConfig(
            "test-" + mode,
            protocol,
            mode,
            [endpoint ?? new IPEndPoint(IPAddress.Loopback, 0)],
            [],
            Decoy: false,
            VerifyClient: true,
            ProbeDelay: TimeSpan.FromSeconds(1),
            Banner: null,
            Interval: interval ?? TimeSpan.FromMilliseconds(200),
            Jitter: 0.2,
            DripBytes: dripBytes,
            MaxHold: TimeSpan.FromMinutes(5),
            MaxClients: 1024,
            MaxClientsPerIp: 1024,
            Http: protocol == TarpitProtocol.Http ? new HttpTarpitOptions(contentLength, bombSize, "Restricted area") : null);
        var tarpit = new TarpitUnderTest(listener);
        await tarpit._server.Ready.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return tarpit;
    }

    /// <summary>Runs a real tool to completion (no exit-code validation), bounded by the token.</summary>
    public static Task<BufferedCommandResult> RunAsync(string tool, IEnumerable<string> arguments, CancellationToken cancellationToken, string? standardInput = null) =>
        Cli.Wrap(tool)
            .WithArguments(arguments)
            .WithStandardInputPipe(standardInput is null ? PipeSource.Null : PipeSource.FromString(standardInput))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken)
            .Task;

    public void Handle(ConnectionEvent connectionEvent) => _events.Enqueue(connectionEvent);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
