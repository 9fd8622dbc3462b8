using System.Net;
using System.Net.Sockets;
using Serilog.Events;
using Tarpit.Agent.Hosting;
using Tarpit.Config;
using Tarpit.Store;
using Tarpit.Tests.Store;
using Tarpit.Tests.Tarpits;

namespace Tarpit.Tests.Hosting;

/// <summary>The real host in-process: firewall off, a private state dir, one SSH tarpit on a loopback port 0.</summary>
public sealed class AgentHostShutdownTests
{
    private const int Clients = 20;

    [Fact]
    public async Task Every_session_held_at_shutdown_is_stored_before_the_host_returns()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var dir = new TempStateDir();
        var log = new CollectingLogSink();
        var host = new AgentHost(Config(dir.Path), log.CreateLogger(), TimeProvider.System);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var run = host.RunAsync(stop.Token);
        var endpoint = await ListeningEndpointAsync(log, run, timeout.Token);
        var clients = new List<Socket>();
        try
        {
            for (var i = 0; i < Clients; i++)
            {
                var client = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                clients.Add(client);
                await client.ConnectAsync(endpoint, timeout.Token);
            }

            Assert.True(await EventuallyAsync(() => Held(log) == Clients, timeout.Token), $"held {Held(log)} of {Clients}");

            await stop.CancelAsync();
            var exitCode = await run.WaitAsync(timeout.Token);

            Assert.Equal(0, exitCode);
            Assert.Equal(Clients, SessionRows(dir.Path));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    private static ConfigFile Config(string stateDir)
    {
        var ssh = TarpitConfigs.Listener("ssh") with
        {
            Mode = Tarpit.Config.ModeCatalog.SshEndlessBanner,
            Banner = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3",
            Interval = TimeSpan.FromSeconds(1),
        };
        return TarpitConfigs.Config(ssh) with
        {
            Agent = new AgentConfig(stateDir, LogFile: null, LogEventLevel.Verbose),
            Firewall = FirewallConfig.Defaults with { Enabled = false },
        };
    }

    /// <summary>The tarpit's bound address, from its "listening on" line (the config asked for port 0).</summary>
    private static async Task<IPEndPoint> ListeningEndpointAsync(CollectingLogSink log, Task<int> run, CancellationToken cancellationToken)
    {
        Assert.True(await EventuallyAsync(() => run.IsCompleted || log.Events.Any(IsReady), cancellationToken), "the host never said it was ready");
        Assert.False(run.IsCompleted, "the host stopped before it was ready");
        var listening = log.Events.First(e => e.MessageTemplate.Text.Contains("listening on {Endpoint}", StringComparison.Ordinal));
        return IPEndPoint.Parse(((ScalarValue)listening.Properties["Endpoint"]).Value!.ToString()!);
    }

    private static bool IsReady(LogEvent e) => e.MessageTemplate.Text.StartsWith(HostingLog.ReadyMessage, StringComparison.Ordinal);

    /// <summary>Connections the engine has opened and published (the connection log's "Holding" line).</summary>
    private static int Held(CollectingLogSink log) =>
        log.Events.Count(e => e.MessageTemplate.Text.StartsWith("Holding {RemoteIP}", StringComparison.Ordinal));

    private static int SessionRows(string stateDir)
    {
        using var connection = BanStore.Open(stateDir).Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sessions;";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(10, cancellationToken);
        }

        return true;
    }
}
