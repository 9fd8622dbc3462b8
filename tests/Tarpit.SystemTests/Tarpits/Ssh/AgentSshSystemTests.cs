using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.Tarpits.Ssh;

public sealed class AgentSshSystemTests
{
    [SystemFact(false, "ssh")]
    public async Task The_agent_holds_OpenSSH_in_kex_hold_after_verifying_it()
    {
        Prerequisites.Require(false, "ssh");
        var directory = Directory.CreateTempSubdirectory("tarpit-ssh-agent-");
        try
        {
            var port = FreeLoopbackPort();
            var configPath = Path.Combine(directory.FullName, "tarpit.toml");
            await File.WriteAllTextAsync(configPath, Config(port));
            await using var agent = AgentProcess.Start(["run", "--config", configPath]);
            await agent.WaitForLineAsync("Tarpit agent ready", TimeSpan.FromSeconds(60));

            var (killed, output) = await ExternalTool.RunAsync("ssh", ExternalTool.SshArguments(port), TimeSpan.FromSeconds(8));
            await agent.StopAsync(TimeSpan.FromSeconds(30));

            Assert.True(killed, "ssh exited on its own:\n" + output);
            Assert.Contains("Remote protocol version 2.0, remote software version OpenSSH_9.2p1", output, StringComparison.Ordinal);
            Assert.Contains("SSH2_MSG_KEXINIT received", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Connection closed", output, StringComparison.Ordinal);
            Assert.Contains("Tarpit agent stopped", agent.Output, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string Config(int port) => $"""
        [agent]
        state_dir = "state"
        log_file = "state/events.jsonl"
        log_level = "debug"

        [firewall]
        enabled = false

        [[tarpit]]
        name = "ssh"
        protocol = "ssh"
        host_keys = "generated"
        mode = "kex-hold"
        listen = ["127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"]
        redirect_ports = []
        verify_client = true
        probe_delay = "2s"
        interval = "150ms"
        jitter = 0.3
        drip_bytes = 64
        max_hold = "10m"
        """;

    private static int FreeLoopbackPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
