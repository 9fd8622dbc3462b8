using System.Text;
using CliWrap;

namespace Tarpit.SystemTests.Infrastructure;

/// <summary>
/// Three test hosts in network namespaces this test creates: a server, an attacker and an innocent client, each
/// joined to the server by its own veth pair. Addresses are from the documentation ranges (RFC 5737, RFC 3849), which
/// exist only inside these namespaces. Dispose kills every process left in them and deletes them, even on failure.
/// Never touches the host's own namespace or ruleset.
/// </summary>
internal sealed class TestNetwork : IAsyncDisposable
{
    private static int Counter;

    private TestNetwork(string prefix)
    {
        Server = prefix + "-srv";
        Attacker = prefix + "-atk";
        Innocent = prefix + "-inn";
    }

    public string Server { get; }

    public string Attacker { get; }

    public string Innocent { get; }

    /// <summary>The server as the attacker sees it.</summary>
    public static string ServerV4ForAttacker => "192.0.2.1";

    public static string AttackerV4 => "192.0.2.2";

    public static string ServerV4ForInnocent => "198.51.100.1";

    public static string InnocentV4 => "198.51.100.2";

    public static string ServerV6ForAttacker => "2001:db8:1::1";

    public static string AttackerV6 => "2001:db8:1::2";

    public static string ServerV6ForInnocent => "2001:db8:2::1";

    public static string InnocentV6 => "2001:db8:2::2";

    public static async Task<TestNetwork> CreateAsync(CancellationToken cancellationToken = default)
    {
        Prerequisites.Require(true, "ip");
        var id = Interlocked.Increment(ref Counter);
        var network = new TestNetwork($"tp{Environment.ProcessId % 100000}x{id}");
        try
        {
            foreach (var ns in new[] { network.Server, network.Attacker, network.Innocent })
            {
                await RunAsync(["netns", "add", ns], cancellationToken);
                await RunAsync(["-n", ns, "link", "set", "lo", "up"], cancellationToken);
            }

            await network.LinkAsync(network.Attacker, "a", "192.0.2", "2001:db8:1", cancellationToken);
            await network.LinkAsync(network.Innocent, "i", "198.51.100", "2001:db8:2", cancellationToken);
            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a command inside a namespace and returns its exit code and combined output.</summary>
    public static async Task<(int ExitCode, string Output)> ExecAsync(string netns, IEnumerable<string> command, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var output = new StringBuilder();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            var result = await Cli.Wrap("ip")
                .WithArguments(new[] { "netns", "exec", netns }.Concat(command))
                .WithStandardOutputPipe(PipeTarget.ToStringBuilder(output))
                .WithStandardErrorPipe(PipeTarget.ToStringBuilder(output))
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(cts.Token);
            return (result.ExitCode, output.ToString());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (-1, output.ToString());
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var ns in new[] { Server, Attacker, Innocent })
        {
            var (_, pids) = await TryRunAsync(["netns", "pids", ns]);
            foreach (var pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                await Cli.Wrap("kill").WithArguments(["-9", pid]).WithValidation(CommandResultValidation.None).ExecuteAsync();
            }

            await TryRunAsync(["netns", "del", ns]);
        }
    }

    private async Task LinkAsync(string client, string tag, string v4Prefix, string v6Prefix, CancellationToken cancellationToken)
    {
        // Created directly inside the namespaces, so the names need only be unique there; a name with the namespace
        // prefix in it would pass IFNAMSIZ (15 characters) for long process ids and counters.
        var serverSide = $"tp-{tag}";
        var clientSide = $"tp-{tag}c";
        await RunAsync(["link", "add", serverSide, "netns", Server, "type", "veth", "peer", "name", clientSide, "netns", client], cancellationToken);
        await RunAsync(["-n", Server, "addr", "add", $"{v4Prefix}.1/24", "dev", serverSide], cancellationToken);
        await RunAsync(["-n", client, "addr", "add", $"{v4Prefix}.2/24", "dev", clientSide], cancellationToken);
        await RunAsync(["-n", Server, "-6", "addr", "add", $"{v6Prefix}::1/64", "dev", serverSide, "nodad"], cancellationToken);
        await RunAsync(["-n", client, "-6", "addr", "add", $"{v6Prefix}::2/64", "dev", clientSide, "nodad"], cancellationToken);
        await RunAsync(["-n", Server, "link", "set", serverSide, "up"], cancellationToken);
        await RunAsync(["-n", client, "link", "set", clientSide, "up"], cancellationToken);
    }

    private static async Task RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var (code, output) = await TryRunAsync(args, cancellationToken);
        if (code != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)} failed ({code}): {output}");
        }
    }

    private static async Task<(int, string)> TryRunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var output = new StringBuilder();
        var result = await Cli.Wrap("ip")
            .WithArguments(args)
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(output))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(output))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(cancellationToken);
        return (result.ExitCode, output.ToString());
    }
}
