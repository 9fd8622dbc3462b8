using System.Globalization;
using System.Text.Json;
using CliWrap;
using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.EndToEnd;

/// <summary>
/// The stage for the end-to-end stories: three test namespaces, a real sshd on :22 and a real HTTP server on :80 in
/// the server namespace, and a private temp dir. Clients act from the attacker or the innocent namespace. Dispose
/// tears everything down (processes, namespaces, files), also when the test failed.
/// </summary>
internal sealed class EndToEndScene : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private EndToEndScene(TestNetwork network, string directory, AgentBinary binary)
    {
        Network = network;
        Directory = directory;
        Binary = binary;
    }

    public TestNetwork Network { get; }

    /// <summary>The agent the scene runs: the daemon, the verbs, and the command fail2ban's action calls.</summary>
    public AgentBinary Binary { get; }

    public string Directory { get; }

    public RealSshd Sshd { get; private set; } = null!;

    public string ConfigPath => Path.Combine(Directory, "tarpit.toml");

    /// <summary>The stage, with the JIT build as the agent unless <paramref name="binary"/> says otherwise.</summary>
    public static async Task<EndToEndScene> CreateAsync(bool syslogPrefix, CancellationToken cancellationToken, AgentBinary? binary = null)
    {
        var network = await TestNetwork.CreateAsync(cancellationToken);
        var directory = System.IO.Directory.CreateTempSubdirectory("tarpit-e2e-").FullName;
        var scene = new EndToEndScene(network, directory, binary ?? AgentBinary.Jit);
        try
        {
            scene.Sshd = await RealSshd.StartAsync(network.Server, directory, syslogPrefix, cancellationToken);
            scene._owned.Add(scene.Sshd);
            await scene.StartWebServerAsync(cancellationToken);
            return scene;
        }
        catch
        {
            await scene.DisposeAsync();
            throw;
        }
    }

    /// <summary>The agent's config: SSH and HTTP tarpits for :22 and :80 with fast drips, a short ban time.</summary>
    public async Task WriteAgentConfigAsync(string banTime, string watches, CancellationToken cancellationToken)
    {
        var toml = $"""
            [agent]
            state_dir = "state"
            log_file = ""
            log_level = "debug"

            [firewall]
            table = "tarpit"
            ban_time = "{banTime}"
            ban_time_factor = 1.0
            allow = ["127.0.0.0/8", "::1/128"]
            keep_on_exit = true
            cut_established = true

            [[tarpit]]
            name = "ssh"
            protocol = "ssh"
            host_keys = "generated"
            mode = "endless-banner"
            listen = ["[::]:2222"]
            redirect_ports = [22]
            probe_delay = "1s"
            interval = "300ms"

            [[tarpit]]
            name = "http"
            protocol = "http"
            mode = "endless-header"
            listen = ["[::]:8080"]
            redirect_ports = [80]
            interval = "300ms"

            {watches}
            """;
        await File.WriteAllTextAsync(ConfigPath, toml, cancellationToken);
    }

    public AgentProcess StartAgent()
    {
        var agent = AgentProcess.Start(["run", "--config", ConfigPath], Network.Server, binary: Binary);
        _owned.Add(agent);
        return agent;
    }

    /// <summary><c>ssh -vvv</c> from a namespace for at most <paramref name="seconds"/>; the client's whole debug output.</summary>
    public static async Task<string> SshAsync(string netns, string server, int seconds, CancellationToken cancellationToken)
    {
        var (_, output) = await TestNetwork.ExecAsync(
            netns,
            ["timeout", seconds.ToString(CultureInfo.InvariantCulture), "ssh", "-vvv", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
             "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=5", $"nosuchuser@{server}", "true"],
            TimeSpan.FromSeconds(seconds + 5),
            cancellationToken);
        return output;
    }

    /// <summary>A failed login as a user that does not exist: one "Invalid user" line in sshd's log.</summary>
    public static async Task FailLoginAsync(string netns, string server, CancellationToken cancellationToken)
    {
        var (code, output) = await TestNetwork.ExecAsync(
            netns,
            ["ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=5", $"nosuchuser@{server}", "true"],
            TimeSpan.FromSeconds(15),
            cancellationToken);
        Assert.True(code == 255 && output.Contains("Permission denied", StringComparison.Ordinal), $"expected a refused login from the real sshd, got {code}: {output}");
    }

    /// <summary><c>curl -sv -m SECONDS</c> from a namespace: exit code and everything curl printed.</summary>
    public static Task<(int ExitCode, string Output)> CurlAsync(string netns, string url, int seconds, CancellationToken cancellationToken) =>
        TestNetwork.ExecAsync(netns, ["curl", "-sv", "-m", seconds.ToString(CultureInfo.InvariantCulture), url], TimeSpan.FromSeconds(seconds + 5), cancellationToken);

    /// <summary>The rows of <c>tarpit-agent list --json</c>, run in the server namespace.</summary>
    public async Task<JsonElement[]> ListAsync(CancellationToken cancellationToken, bool all = false)
    {
        string[] args = all ? ["list", "--json", "--all", "--config", ConfigPath] : ["list", "--json", "--config", ConfigPath];
        var (code, output) = await AgentProcess.RunAsync(args, Network.Server, binary: Binary, cancellationToken: cancellationToken);
        Assert.True(code == 0, output);
        var json = output[output.IndexOf('[', StringComparison.Ordinal)..];
        return JsonDocument.Parse(json).RootElement.EnumerateArray().ToArray();
    }

    public async Task<JsonElement> WaitForListedAsync(string address, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var row = (await ListAsync(cancellationToken)).FirstOrDefault(r => r.GetProperty("address").GetString() == address);
            if (row.ValueKind != JsonValueKind.Undefined)
            {
                return row;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{address} was not listed within {timeout}");
            await Task.Delay(250, cancellationToken);
        }
    }

    public async Task WaitForUnlistedAsync(string address, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while ((await ListAsync(cancellationToken)).Any(r => r.GetProperty("address").GetString() == address))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{address} was still listed after {timeout}");
            await Task.Delay(500, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        await Network.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private async Task StartWebServerAsync(CancellationToken cancellationToken)
    {
        var root = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "www")).FullName;
        await File.WriteAllTextAsync(Path.Combine(root, "index.html"), "REAL WEB SERVER\n", cancellationToken);
        var stop = new CancellationTokenSource();
        var log = new System.Text.StringBuilder();
        var task = Cli.Wrap("ip")
            .WithArguments(["netns", "exec", Network.Server, "python3", "-u", "-m", "http.server", "80", "--bind", "::", "--directory", root])
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(log))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(log))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(stop.Token).Task;
        _owned.Add(new BackgroundProcess(stop, task));
        // Python's start-up alone can take seconds on a loaded CI machine.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var (code, _) = await CurlAsync(Network.Innocent, $"http://{TestNetwork.ServerV4ForInnocent}/", 1, cancellationToken);
            if (code == 0)
            {
                return;
            }

            await Task.Delay(200, cancellationToken);
        }

        var (lastCode, lastOutput) = await CurlAsync(Network.Innocent, $"http://{TestNetwork.ServerV4ForInnocent}/", 1, cancellationToken);
        throw new InvalidOperationException($"the real HTTP server did not come up on :80 within 30 s; python: {log}; curl {lastCode}: {lastOutput}");
    }

    private sealed class BackgroundProcess(CancellationTokenSource stop, Task task) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            try
            {
                await task;
            }
            catch (OperationCanceledException)
            {
            }

            stop.Dispose();
        }
    }
}
