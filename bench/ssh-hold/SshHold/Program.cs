using System.Net;
using System.Runtime.InteropServices;
using Serilog;
using Serilog.Events;
using Tarpit.Config;
using Tarpit.Tarpits;

// Usage: SshHold <listen ip:port> <mode> <interval seconds> <max clients>
// Runs one SSH tarpit with the agent's engine until SIGTERM or SIGINT; logs at Warning so that the per-connection
// summaries cost what the agent's log sink costs without filling the terminal.
var listen = IPEndPoint.Parse(args.Length > 0 ? args[0] : "127.0.0.1:2222");
var mode = args.Length > 1 ? args[1] : "endless-banner";
var interval = TimeSpan.FromSeconds(args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10);
var maxClients = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 100_000;

var tarpit = new TarpitListenerConfig(
    "ssh",
    TarpitProtocol.Ssh,
    mode,
    [listen],
    [22],
    Decoy: false,
    VerifyClient: true,
    ProbeDelay: TimeSpan.FromSeconds(3),
    Banner: "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3",
    Interval: interval,
    Jitter: 0.5,
    DripBytes: 4,
    MaxHold: TimeSpan.FromHours(24),
    MaxClients: maxClients,
    MaxClientsPerIp: maxClients,
    Http: null);
var configDir = AppContext.BaseDirectory;
var config = new TarpitConfig(Path.Combine(configDir, "bench.toml"), AgentConfig.Defaults(configDir), FirewallConfig.Defaults, [tarpit], [], GeoIpConfig.Off);

using var log = new LoggerConfiguration().MinimumLevel.Is(LogEventLevel.Warning).WriteTo.Console().CreateLogger();
using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

var server = new TarpitServer(config, [new ConnectionLogSink(log)], log, TimeProvider.System);
var run = server.RunAsync(stop.Token);
await server.Ready;
Console.WriteLine($"ready {listen} {mode}");
await run;
