using System.Diagnostics;
using System.Net;
using CliWrap;
using Tarpit.Firewall;
using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.Resilience;

/// <summary>
/// The real daemon (<c>tarpit-agent run</c>) in a server namespace the test created, with the firewall on (nft runs
/// inside that namespace), its state in a directory of the test (or a mount the test made), and a log file watched
/// with the sshd filter and <c>max_retry = 1</c>, so one appended line is one ban decided by the daemon itself.
/// Disposal stops the agent, removes the namespaces and the directory, whatever happened.
/// </summary>
internal sealed class DaemonScene : IAsyncDisposable
{
    private DaemonScene(TestNetwork network, string directory, string stateDir, AgentBinary? binary = null)
    {
        Binary = binary ?? AgentBinary.Jit;
        Network = network;
        Directory = directory;
        StateDir = stateDir;
    }

    public TestNetwork Network { get; }

    /// <summary>The agent it runs: the JIT build unless the test asked for the Native AOT one.</summary>
    public AgentBinary Binary { get; }

    public string Directory { get; }

    public string StateDir { get; }

    public string ConfigPath => Path.Combine(Directory, "tarpit.toml");

    public string AuthLog => Path.Combine(Directory, "auth.log");

    public AgentProcess? Agent { get; private set; }

    /// <summary>Namespaces, a directory and the config; <paramref name="stateDir"/> (absolute) replaces the default <c>DIR/state</c>.</summary>
    public static async Task<DaemonScene> CreateAsync(CancellationToken cancellationToken, string? stateDir = null, string? directory = null, AgentBinary? binary = null)
    {
        var network = await TestNetwork.CreateAsync(cancellationToken);
        var dir = directory ?? System.IO.Directory.CreateTempSubdirectory("tarpit-resilience-").FullName;
        var scene = new DaemonScene(network, dir, stateDir ?? Path.Combine(dir, "state"), binary);
        await File.WriteAllTextAsync(scene.AuthLog, "", cancellationToken);
        await File.WriteAllTextAsync(
            scene.ConfigPath,
            $$"""
            [agent]
            state_dir = "{{scene.StateDir}}"
            log_file = ""
            log_level = "debug"

            [firewall]
            table = "tarpit"
            ban_time = "1h"
            allow = ["127.0.0.0/8", "::1/128", "198.51.100.0/24"]
            cut_established = false

            [[tarpit]]
            name = "ssh"
            protocol = "ssh"
            host_keys = "generated"
            listen = ["[::]:2222"]
            redirect_ports = [22, 2022]

            [[watch]]
            name = "sshd"
            filter = "sshd"
            path = "{{scene.AuthLog}}"
            max_retry = 1
            find_time = "10m"
            """,
            cancellationToken);
        return scene;
    }

    /// <summary>Starts the daemon in the server namespace (<c>run --observe</c> with <paramref name="observe"/>) and waits until it says it is ready.</summary>
    public async Task<AgentProcess> StartAsync(CancellationToken cancellationToken, bool observe = false)
    {
        Agent = AgentProcess.Start(observe ? ["run", "--observe", "--config", ConfigPath] : ["run", "--config", ConfigPath], Network.Server, binary: Binary);
        await Agent.WaitForLineAsync("Tarpit agent ready", TimeSpan.FromSeconds(60), cancellationToken);
        // Detection starts once the tarpits are bound, so after "ready": a line appended before the watch follows the
        // log (it has no time stamp to be read back by) would never be judged.
        await Agent.WaitForLineAsync("Following ", TimeSpan.FromSeconds(60), cancellationToken);
        return Agent;
    }

    /// <summary><c>tarpit-agent VERB … --config FILE</c> inside the server namespace.</summary>
    public Task<(int ExitCode, string Output)> VerbAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        AgentProcess.RunAsync(arguments.Concat(["--config", ConfigPath]), Network.Server, TimeSpan.FromSeconds(60), Binary, cancellationToken);

    /// <summary>One failed login of <paramref name="address"/> in the watched log: with <c>max_retry = 1</c>, a ban.</summary>
    public Task OffendAsync(string address, CancellationToken cancellationToken) =>
        File.AppendAllTextAsync(AuthLog, $"Invalid user admin from {address} port 40000\n", cancellationToken);

    public Task<(int ExitCode, string Output)> NftAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        TestNetwork.ExecAsync(Network.Server, arguments.Prepend("nft"), TimeSpan.FromSeconds(30), cancellationToken);

    /// <summary>The offender elements in the server namespace (empty when the table is missing).</summary>
    public async Task<IReadOnlyList<FirewallElement>> OffendersAsync(CancellationToken cancellationToken)
    {
        var (code, output) = await NftAsync(["-j", "list", "table", "inet", "tarpit"], cancellationToken);
        return code == 0 ? NftJson.ParseOffenders(output) : [];
    }

    /// <summary>True when the table's prerouting chain redirects again (the rules are back, not only the sets).</summary>
    public async Task<bool> RedirectsAsync(CancellationToken cancellationToken)
    {
        var (code, output) = await NftAsync(["list", "chain", "inet", "tarpit", "prerouting"], cancellationToken);
        return code == 0 && output.Contains("redirect to", StringComparison.Ordinal);
    }

    /// <summary>
    /// Polls nft every 50 ms until every target is an element and the chain redirects; returns the time it took, or
    /// fails with what nft holds after <paramref name="timeout"/>.
    /// </summary>
    public async Task<TimeSpan> WaitForElementsAsync(IReadOnlyCollection<IPNetwork> targets, TimeSpan timeout, CancellationToken cancellationToken, Stopwatch? since = null)
    {
        var clock = since ?? Stopwatch.StartNew();
        var deadline = clock.Elapsed + timeout;
        IReadOnlyList<FirewallElement> elements = [];
        while (clock.Elapsed < deadline)
        {
            elements = await OffendersAsync(cancellationToken);
            var present = elements.Select(e => e.Target).ToHashSet();
            if (targets.All(present.Contains) && await RedirectsAsync(cancellationToken))
            {
                return clock.Elapsed;
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException(
            $"Not all of {string.Join(", ", targets)} in nft after {timeout}: found [{string.Join(", ", elements.Select(e => e.Target))}]. Agent output:\n{Agent?.Output}");
    }

    /// <summary>Runs a host command (mount, umount, chattr…) and fails with its output when it fails.</summary>
    public static async Task RunAsync(string tool, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var output = new System.Text.StringBuilder();
        var result = await Cli.Wrap(tool)
            .WithArguments(arguments)
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(output))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(output))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({result.ExitCode}): {output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Agent is not null)
        {
            await Agent.DisposeAsync();
        }

        await Network.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A mount the test made is still busy: the test's own cleanup unmounts it; the rest is in /tmp.
        }
    }
}
