using System.Diagnostics;
using System.Net;
using Tarpit.Firewall;
using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.Fleet;

/// <summary>
/// One host of the fleet: the real daemon (<c>tarpit-agent run</c>) in its own namespace of a <see cref="FleetNetwork"/>,
/// its nft there, its config, state and watched log in a directory of the test, and a <c>[crowdsec]</c> table that
/// makes it both a machine (its bans pushed) and a bouncer (the fleet's decisions pulled every second). The watch
/// has <c>max_retry = 1</c>, so one appended line is one ban decided by the daemon itself. Disposal stops the agent;
/// the namespaces and the directory belong to the caller.
/// </summary>
internal sealed class FleetHost : IAsyncDisposable
{
    private FleetHost(string netns, string directory, AgentBinary binary)
    {
        Netns = netns;
        Directory = directory;
        Binary = binary;
    }

    public string Netns { get; }

    public string Directory { get; }

    public AgentBinary Binary { get; }

    public string ConfigPath => Path.Combine(Directory, "tarpit.toml");

    public string StateDir => Path.Combine(Directory, "state");

    public string AuthLog => Path.Combine(Directory, "auth.log");

    public AgentProcess? Agent { get; private set; }

    /// <summary>
    /// Writes the host's config: the loopback, the LAPI and the other hosts in <c>firewall.allow</c> with
    /// <paramref name="allow"/>; the machine from <paramref name="credentialsFile"/> (cscli's format), the bouncer's key.
    /// </summary>
    public static async Task<FleetHost> CreateAsync(
        string netns, string directory, string lapiUrl, string bouncerKey, string credentialsFile, IEnumerable<string> allow, AgentBinary binary, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(directory);
        var host = new FleetHost(netns, directory, binary);
        await File.WriteAllTextAsync(host.AuthLog, "", cancellationToken);
        var allowed = string.Join(", ", new[] { "127.0.0.0/8", "::1/128", FleetNetwork.LapiV4, FleetNetwork.HostAV4, FleetNetwork.HostBV4 }.Concat(allow).Select(a => $"\"{a}\""));
        await File.WriteAllTextAsync(
            host.ConfigPath,
            $$"""
            [agent]
            state_dir = "{{host.StateDir}}"
            log_file = ""
            log_level = "debug"

            [firewall]
            table = "tarpit"
            ban_time = "1h"
            allow = [{{allowed}}]
            cut_established = false

            [[tarpit]]
            name = "ssh"
            protocol = "ssh"
            host_keys = "generated"
            listen = ["[::]:2222"]
            redirect_ports = [22]

            [[watch]]
            name = "sshd"
            filter = "sshd"
            path = "{{host.AuthLog}}"
            max_retry = 1
            find_time = "10m"

            [crowdsec]
            lapi_url = "{{lapiUrl}}"
            bouncer_key = "{{bouncerKey}}"
            pull_interval = "1s"
            resync_interval = "5s"
            credentials_file = "{{credentialsFile}}"
            push = true
            """,
            cancellationToken);
        return host;
    }

    /// <summary>Starts the daemon in the host's namespace and waits until it is ready and follows its log.</summary>
    public async Task<AgentProcess> StartAsync(CancellationToken cancellationToken)
    {
        Agent = AgentProcess.Start(["run", "--config", ConfigPath], Netns, binary: Binary);
        await Agent.WaitForLineAsync("Tarpit agent ready", TimeSpan.FromSeconds(60), cancellationToken);
        await Agent.WaitForLineAsync("Following ", TimeSpan.FromSeconds(60), cancellationToken);
        return Agent;
    }

    /// <summary>Stops the daemon (SIGINT, 30 s at most) and forgets it.</summary>
    public async Task StopAsync()
    {
        if (Agent is not null)
        {
            await Agent.StopAsync(TimeSpan.FromSeconds(30));
            await Agent.DisposeAsync();
            Agent = null;
        }
    }

    /// <summary><c>tarpit-agent VERB … --config FILE</c> inside the host's namespace.</summary>
    public Task<(int ExitCode, string Output)> VerbAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        AgentProcess.RunAsync(arguments.Concat(["--config", ConfigPath]), Netns, TimeSpan.FromSeconds(60), Binary, cancellationToken);

    /// <summary>One failed login of <paramref name="address"/> in the watched log: with <c>max_retry = 1</c>, a ban.</summary>
    public Task OffendAsync(string address, CancellationToken cancellationToken) =>
        File.AppendAllTextAsync(AuthLog, $"Invalid user admin from {address} port 40000\n", cancellationToken);

    public Task<(int ExitCode, string Output)> NftAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        TestNetwork.ExecAsync(Netns, arguments.Prepend("nft"), TimeSpan.FromSeconds(30), cancellationToken);

    /// <summary>The offender elements in the host's namespace (empty when the table is missing).</summary>
    public async Task<IReadOnlyList<FirewallElement>> OffendersAsync(CancellationToken cancellationToken)
    {
        var (code, output) = await NftAsync(["-j", "list", "table", "inet", "tarpit"], cancellationToken);
        return code == 0 ? NftJson.ParseOffenders(output) : [];
    }

    /// <summary>
    /// Polls nft every 50 ms until <paramref name="done"/> holds for the host's offender elements; returns the time
    /// it took, or fails with what nft holds and the agent's output after <paramref name="timeout"/>.
    /// </summary>
    public async Task<TimeSpan> WaitUntilAsync(string what, Func<IReadOnlySet<IPNetwork>, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlySet<IPNetwork> present = new HashSet<IPNetwork>();
        while (clock.Elapsed < timeout)
        {
            present = (await OffendersAsync(cancellationToken)).Select(e => e.Target).ToHashSet();
            if (done(present))
            {
                return clock.Elapsed;
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException($"{Netns}: not {what} after {timeout}: nft holds [{string.Join(", ", present)}]. Agent output:\n{Agent?.Output}");
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
