using System.Text;
using CliWrap;
using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.Fleet;

/// <summary>
/// A small fleet's LAN in network namespaces this test creates: a switch namespace holding a bridge, and one namespace
/// per machine (the LAPI, host A, host B, an attacker), each joined to the bridge by its own veth pair, all on
/// 192.0.2.0/24 (RFC 5737, which exists only inside these namespaces). The bridge lives in the switch namespace, so
/// the host's own namespace gets no device. Dispose kills every process left in them and deletes them, even on failure.
/// </summary>
internal sealed class FleetNetwork : IAsyncDisposable
{
    private static int Counter;

    private readonly string _switch;

    private FleetNetwork(string prefix)
    {
        _switch = prefix + "-sw";
        Lapi = prefix + "-lapi";
        HostA = prefix + "-a";
        HostB = prefix + "-b";
        Attacker = prefix + "-atk";
    }

    public string Lapi { get; }

    public string HostA { get; }

    public string HostB { get; }

    public string Attacker { get; }

    public static string AttackerV4 => "192.0.2.2";

    public static string LapiV4 => "192.0.2.10";

    public static string HostAV4 => "192.0.2.11";

    public static string HostBV4 => "192.0.2.12";

    private IEnumerable<string> All => [_switch, Lapi, HostA, HostB, Attacker];

    public static async Task<FleetNetwork> CreateAsync(CancellationToken cancellationToken)
    {
        Prerequisites.Require(true, "ip");
        var network = new FleetNetwork($"tpf{Environment.ProcessId % 100000}x{Interlocked.Increment(ref Counter)}");
        try
        {
            foreach (var ns in network.All)
            {
                await RunAsync(["netns", "add", ns], cancellationToken);
                await RunAsync(["-n", ns, "link", "set", "lo", "up"], cancellationToken);
            }

            await RunAsync(["-n", network._switch, "link", "add", "br0", "type", "bridge"], cancellationToken);
            await RunAsync(["-n", network._switch, "link", "set", "br0", "up"], cancellationToken);
            await network.PlugAsync(network.Lapi, "l", LapiV4, cancellationToken);
            await network.PlugAsync(network.HostA, "a", HostAV4, cancellationToken);
            await network.PlugAsync(network.HostB, "b", HostBV4, cancellationToken);
            await network.PlugAsync(network.Attacker, "x", AttackerV4, cancellationToken);
            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var ns in All)
        {
            var (_, pids) = await TryRunAsync(["netns", "pids", ns]);
            foreach (var pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                await Cli.Wrap("kill").WithArguments(["-9", pid]).WithValidation(CommandResultValidation.None).ExecuteAsync();
            }

            await TryRunAsync(["netns", "del", ns]);
        }
    }

    /// <summary>A veth pair: <c>eth0</c> with <paramref name="address"/>/24 in the machine, <c>p-TAG</c> on the switch's bridge.</summary>
    private async Task PlugAsync(string machine, string tag, string address, CancellationToken cancellationToken)
    {
        var port = $"p-{tag}";
        await RunAsync(["link", "add", port, "netns", _switch, "type", "veth", "peer", "name", "eth0", "netns", machine], cancellationToken);
        await RunAsync(["-n", _switch, "link", "set", port, "master", "br0"], cancellationToken);
        await RunAsync(["-n", _switch, "link", "set", port, "up"], cancellationToken);
        await RunAsync(["-n", machine, "addr", "add", $"{address}/24", "dev", "eth0"], cancellationToken);
        await RunAsync(["-n", machine, "link", "set", "eth0", "up"], cancellationToken);
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
