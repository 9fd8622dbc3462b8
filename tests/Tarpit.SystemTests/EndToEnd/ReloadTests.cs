using System.Net;
using System.Net.Sockets;
using System.Text;
using CliWrap;
using Tarpit.SystemTests.Infrastructure;
using Tarpit.SystemTests.Tarpits;

namespace Tarpit.SystemTests.EndToEnd;

/// <summary>
/// Issue 13, item 6: SIGHUP (systemd's <c>ExecReload</c>) re-reads <c>tarpit.toml</c> in the running daemon. The real
/// agent runs in a server namespace with the firewall on (real nft there); a raw TCP client in the attacker namespace
/// holds an endless-banner connection across the reload.
/// </summary>
public sealed class ReloadTests
{
    private static readonly string[] Tools = ["ip", "nft", "conntrack", "kill"];

    [SystemFact(true, "ip", "nft", "conntrack", "kill")]
    public async Task Sighup_does_not_stop_the_daemon()
    {
        Prerequisites.Require(true, Tools);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = cts.Token;
        await using var scene = await ReloadScene.CreateAsync(ct);
        await scene.WriteConfigAsync(allow: "\"127.0.0.0/8\", \"::1/128\"", banTime: "10m", listen: "\"[::]:2222\"", ct);
        var agent = scene.StartAgent();
        await agent.WaitForLineAsync("Tarpit agent ready", TimeSpan.FromSeconds(60), ct);

        await ReloadScene.SignalAsync(agent, "HUP", ct);

        await agent.WaitForLineAsync("tarpit.toml unchanged", TimeSpan.FromSeconds(30), ct);
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        Assert.False(agent.Exited.IsCompleted, "the agent exited on SIGHUP:\n" + agent.Output);
        Assert.Equal(0, await ReloadScene.StopAsync(agent, ct));
    }

    [SystemFact(true, "ip", "nft", "conntrack", "kill")]
    public async Task Sighup_applies_a_new_allowlist_ban_time_and_listener_keeping_held_connections_and_bans_and_refuses_a_broken_file()
    {
        Prerequisites.Require(true, Tools);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        await using var scene = await ReloadScene.CreateAsync(ct);
        await scene.WriteConfigAsync(allow: "\"127.0.0.0/8\", \"::1/128\"", banTime: "10m", listen: "\"[::]:2222\"", ct);
        var agent = scene.StartAgent();
        await agent.WaitForLineAsync("Tarpit agent ready", TimeSpan.FromSeconds(60), ct);

        // A ban in force (the store and the kernel set), and a client held in the SSH tarpit.
        var (banCode, banOutput) = await scene.AgentAsync(["ban", "203.0.113.9", "--for", "1h"], ct);
        Assert.True(banCode == 0, banOutput);
        Assert.Contains("203.0.113.9", await scene.NftAsync(["list", "set", "inet", "tarpit", "offenders_v4"], ct), StringComparison.Ordinal);
        using var held = ReloadScene.Connect(scene.Network.Attacker, TestNetwork.ServerV4ForAttacker, 2222);
        await ReloadScene.ReadLineAsync(held, agent, ct);

        // The new file: one more allowlist entry, a longer ban time, a second listen address for the SSH tarpit.
        await scene.WriteConfigAsync(allow: "\"127.0.0.0/8\", \"::1/128\", \"198.51.100.0/24\"", banTime: "20m", listen: "\"[::]:2222\", \"[::]:2223\"", ct);
        await ReloadScene.SignalAsync(agent, "HUP", ct);
        var reloaded = await agent.WaitForLineAsync("Reloaded tarpit.toml", TimeSpan.FromSeconds(30), ct);
        Assert.Contains("allowlist 2 → 3 entries", reloaded, StringComparison.Ordinal);
        Assert.Contains("ban_time 10m → 20m", reloaded, StringComparison.Ordinal);
        Assert.Contains("tarpit ssh", reloaded, StringComparison.Ordinal);

        // The held client still drips, the ban stays in the store and the kernel, the allow set has the new entry,
        // and the new address accepts.
        await ReloadScene.ReadLineAsync(held, agent, ct);
        Assert.Contains("203.0.113.9", await scene.NftAsync(["list", "set", "inet", "tarpit", "offenders_v4"], ct), StringComparison.Ordinal);
        var (listCode, listOutput) = await scene.AgentAsync(["list"], ct);
        Assert.True(listCode == 0 && listOutput.Contains("203.0.113.9", StringComparison.Ordinal), listOutput);
        Assert.Contains("198.51.100.0/24", await scene.NftAsync(["list", "set", "inet", "tarpit", "allow_v4"], ct), StringComparison.Ordinal);
        using (var second = ReloadScene.Connect(scene.Network.Attacker, TestNetwork.ServerV4ForAttacker, 2223))
        {
            await ReloadScene.ReadLineAsync(second, agent, ct);
        }

        // The daemon's own bans follow: the new allowlist refuses, the new ban time is given.
        await File.AppendAllTextAsync(scene.AuthLog, "Invalid user a from 198.51.100.9 port 22\nInvalid user b from 203.0.113.50 port 22\n", ct);
        var banned = await scene.WaitForListedAsync("203.0.113.50", agent, ct);
        Assert.InRange(banned.GetProperty("expires_in_seconds").GetInt64(), 601, 1200);
        Assert.DoesNotContain(await scene.ListJsonAsync(ct), r => r.GetProperty("address").GetString() == "198.51.100.9");

        // A broken file: reported with its position, and everything stays as it was.
        await File.WriteAllTextAsync(scene.ConfigPath, "[firewall]\nallow = [\"127.0.0.0/8\"\n", ct);
        await ReloadScene.SignalAsync(agent, "HUP", ct);
        await agent.WaitForLineAsync("the running configuration stays", TimeSpan.FromSeconds(30), ct);
        Assert.Matches(@"ERR \S*tarpit\.toml:\d+:\d+: error: ", agent.Output);
        await ReloadScene.ReadLineAsync(held, agent, ct);
        Assert.Contains("198.51.100.0/24", await scene.NftAsync(["list", "set", "inet", "tarpit", "allow_v4"], ct), StringComparison.Ordinal);
        using (var again = ReloadScene.Connect(scene.Network.Attacker, TestNetwork.ServerV4ForAttacker, 2223))
        {
            await ReloadScene.ReadLineAsync(again, agent, ct);
        }

        Assert.False(agent.Exited.IsCompleted, agent.Output);
        Assert.Equal(0, await ReloadScene.StopAsync(agent, ct));
    }

    /// <summary>Namespaces, a private dir with the config and the state, and the agent in the server namespace.</summary>
    private sealed class ReloadScene : IAsyncDisposable
    {
        private readonly List<AgentProcess> _agents = [];

        private ReloadScene(TestNetwork network, string directory)
        {
            Network = network;
            Directory = directory;
        }

        public TestNetwork Network { get; }

        public string Directory { get; }

        public string ConfigPath => Path.Combine(Directory, "tarpit.toml");

        public static async Task<ReloadScene> CreateAsync(CancellationToken cancellationToken)
        {
            var scene = new ReloadScene(await TestNetwork.CreateAsync(cancellationToken), System.IO.Directory.CreateTempSubdirectory("tarpit-reload-").FullName);
            await File.WriteAllTextAsync(scene.AuthLog, "", cancellationToken);
            return scene;
        }

        public Task WriteConfigAsync(string allow, string banTime, string listen, CancellationToken cancellationToken) =>
            File.WriteAllTextAsync(ConfigPath, $"""
                [agent]
                state_dir = "state"
                log_file = ""

                [firewall]
                table = "tarpit"
                ban_time = "{banTime}"
                allow = [{allow}]
                keep_on_exit = false

                [[tarpit]]
                name = "ssh"
                protocol = "ssh"
                host_keys = "generated"
                mode = "endless-banner"
                listen = [{listen}]
                redirect_ports = [22]
                verify_client = false
                interval = "200ms"

                [[watch]]
                name = "sshd"
                filter = "sshd"
                path = "{AuthLog}"
                max_retry = 1
                """, cancellationToken);

        /// <summary>The log the watch follows (bare sshd lines, as <c>sshd -E</c> writes them).</summary>
        public string AuthLog => Path.Combine(Directory, "auth.log");

        public async Task<System.Text.Json.JsonElement[]> ListJsonAsync(CancellationToken cancellationToken)
        {
            var (code, output) = await AgentAsync(["list", "--json"], cancellationToken);
            Assert.True(code == 0, output);
            return System.Text.Json.JsonDocument.Parse(output[output.IndexOf('[', StringComparison.Ordinal)..]).RootElement.EnumerateArray().ToArray();
        }

        public async Task<System.Text.Json.JsonElement> WaitForListedAsync(string address, AgentProcess agent, CancellationToken cancellationToken)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (true)
            {
                var row = (await ListJsonAsync(cancellationToken)).FirstOrDefault(r => r.GetProperty("address").GetString() == address);
                if (row.ValueKind != System.Text.Json.JsonValueKind.Undefined)
                {
                    return row;
                }

                Assert.True(DateTime.UtcNow < deadline, $"{address} was not banned within 30 s; agent output:\n{agent.Output}");
                await Task.Delay(250, cancellationToken);
            }
        }

        public AgentProcess StartAgent()
        {
            var agent = AgentProcess.Start(["run", "--config", ConfigPath], Network.Server);
            _agents.Add(agent);
            return agent;
        }

        public Task<(int ExitCode, string Output)> AgentAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
            AgentProcess.RunAsync(arguments.Concat(["--config", ConfigPath]), Network.Server, cancellationToken: cancellationToken);

        public async Task<string> NftAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
        {
            var (code, output) = await TestNetwork.ExecAsync(Network.Server, arguments.Prepend("nft"), TimeSpan.FromSeconds(30), cancellationToken);
            Assert.True(code == 0, output);
            return output;
        }

        public static async Task SignalAsync(AgentProcess agent, string signal, CancellationToken cancellationToken)
        {
            var result = await Cli.Wrap("kill").WithArguments(["-" + signal, agent.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)])
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(cancellationToken);
            Assert.Equal(0, result.ExitCode);
        }

        /// <summary>SIGTERM, as systemd stops it; the exit code.</summary>
        public static async Task<int> StopAsync(AgentProcess agent, CancellationToken cancellationToken)
        {
            await SignalAsync(agent, "TERM", cancellationToken);
            return (await agent.Exited.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken)).ExitCode;
        }

        /// <summary>A TCP client created inside <paramref name="netns"/> (the socket stays there), connected to the tarpit.</summary>
        public static Socket Connect(string netns, string server, int port) => NetnsThread.Run(netns, () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Connect(new IPEndPoint(IPAddress.Parse(server), port));
            return socket;
        });

        /// <summary>Reads one drip (a pre-banner line ending in LF) within 10 s; fails when the tarpit closed the connection.</summary>
        public static async Task ReadLineAsync(Socket socket, AgentProcess agent, CancellationToken cancellationToken)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(TimeSpan.FromSeconds(10));
            var buffer = new byte[256];
            var line = new StringBuilder();
            while (true)
            {
                int count;
                try
                {
                    count = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"no drip within 10 s; received: {line}; agent output:\n{agent.Output}");
                }

                Assert.True(count > 0, $"the tarpit closed the connection; received: {line}; agent output:\n{agent.Output}");
                line.Append(Encoding.ASCII.GetString(buffer, 0, count));
                if (line.ToString().Contains('\n', StringComparison.Ordinal))
                {
                    return;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var agent in _agents)
            {
                await agent.DisposeAsync();
            }

            await Network.DisposeAsync();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
