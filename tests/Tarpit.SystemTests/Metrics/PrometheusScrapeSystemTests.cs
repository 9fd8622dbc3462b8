using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.Metrics;

/// <summary>
/// Issue 18, section 1: a real Prometheus scrapes the Native AOT agent's <c>[metrics]</c> endpoint on loopback, and
/// its HTTP API answers with the connections the test holds open on a tarpit, then with none once they are closed.
/// Loopback only: the firewall is off, so nothing touches nft.
/// </summary>
public sealed class PrometheusScrapeSystemTests
{
    private const int Held = 5;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [SystemFact(false, RealPrometheus.Tool, NeedsAotAgent = true)]
    public async Task Prometheus_scraping_the_agent_sees_the_connections_held_on_its_tarpit()
    {
        Prerequisites.Require(false, RealPrometheus.Tool);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var root = Directory.CreateTempSubdirectory("tarpit-metrics-");
        try
        {
            var tarpitPort = RealPrometheus.FreeLoopbackPort();
            var metricsPort = RealPrometheus.FreeLoopbackPort();
            var config = Path.Combine(root.FullName, "tarpit.toml");
            await File.WriteAllTextAsync(config, $"""
                [agent]
                state_dir = "{Path.Combine(root.FullName, "state")}"
                log_file = ""

                [firewall]
                enabled = false

                [[tarpit]]
                name = "ssh"
                protocol = "ssh"
                host_keys = "generated"
                mode = "endless-banner"
                listen = ["127.0.0.1:{tarpitPort}"]
                interval = "1s"

                [metrics]
                listen = "127.0.0.1:{metricsPort}"
                """, cts.Token);

            await using var agent = AgentProcess.Start(["run", "--config", config], binary: AgentBinary.Aot);
            await agent.WaitForLineAsync("Tarpit agent ready", Wait, cts.Token);
            await using var prometheus = await RealPrometheus.StartAsync("127.0.0.1:" + metricsPort.ToString(CultureInfo.InvariantCulture), Wait, cts.Token);
            await prometheus.WaitForValueAsync("up{job=\"tarpit\"}", 1, Wait, cts.Token);

            var clients = new List<TcpClient>();
            try
            {
                for (var i = 0; i < Held; i++)
                {
                    var client = new TcpClient();
                    clients.Add(client);
                    await client.ConnectAsync(IPAddress.Loopback, tarpitPort, cts.Token);
                }

                await prometheus.WaitForValueAsync("tarpit_connections_held{tarpit=\"ssh\",protocol=\"ssh\",mode=\"endless-banner\"}", Held, Wait, cts.Token);
                Assert.Equal(Held, await prometheus.QueryAsync("sum(tarpit_connections_accepted_total)", cts.Token));
                Assert.Equal(1, await prometheus.QueryAsync("count(tarpit_build_info)", cts.Token));
            }
            finally
            {
                clients.ForEach(c => c.Dispose());
            }

            // The agent notices a closed client at its next drip (endless-banner: every few seconds).
            await prometheus.WaitForValueAsync("sum(tarpit_connections_held)", 0, Wait, cts.Token);
            Assert.Equal(Held, await prometheus.QueryAsync("sum(tarpit_connection_held_seconds_count)", cts.Token));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
