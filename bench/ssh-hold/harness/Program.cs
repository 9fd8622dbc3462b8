using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Serilog;
using Tarpit.Config;
using Tarpit.Tarpits;

namespace Tarpit.Bench;

/// <summary>
/// <c>tarpit-bench PORT INTERVAL_MS [MODE]</c>: one SSH tarpit on 127.0.0.1:PORT, no verification, no jitter beyond
/// the configured 0.2, limits high enough for 19,000 connections; runs until SIGTERM or SIGINT.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length is < 2 or > 3)
        {
            await Console.Error.WriteLineAsync("usage: tarpit-bench PORT INTERVAL_MS [endless-banner|kex-hold]");
            return 2;
        }

        var tarpit = new TarpitListenerConfig(
            Name: "bench",
            Protocol: TarpitProtocol.Ssh,
            Mode: args.Length == 3 ? args[2] : "endless-banner",
            Listen: [new IPEndPoint(IPAddress.Loopback, int.Parse(args[0], CultureInfo.InvariantCulture))],
            RedirectPorts: [],
            Decoy: false,
            VerifyClient: false,
            ProbeDelay: TimeSpan.FromSeconds(3),
            Banner: null,
            Interval: TimeSpan.FromMilliseconds(int.Parse(args[1], CultureInfo.InvariantCulture)),
            Jitter: 0.2,
            DripBytes: 16,
            MaxHold: TimeSpan.FromHours(1),
            MaxClients: 19_000,
            MaxClientsPerIp: 19_000,
            Http: null);
        var config = new TarpitConfig("bench", AgentConfig.Defaults(Path.GetTempPath()), FirewallConfig.Defaults, [tarpit], [], GeoIpConfig.Off);
        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
        var server = new TarpitServer(config, [], new LoggerConfiguration().CreateLogger(), TimeProvider.System);
        var run = server.RunAsync(stop.Token);
        await server.Ready;
        Console.WriteLine("ready");
        await run;
        return 0;
    }
}
