using System.Globalization;
using System.Text;
using CliWrap;
using Tarpit.Firewall;
using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.Firewall;

/// <summary>
/// A server namespace with a real service on :22 ("REAL") and a stand-in tarpit on :2222 ("TARPIT"), a config whose
/// state lives in a temp dir, and helpers to run the agent's verbs and nft inside the server namespace.
/// </summary>
internal sealed class FirewallScenario : IAsyncDisposable
{
    public const int RealPort = 22;
    public const int TarpitPort = 2222;

    // One line to every client, IPv4 and IPv6 (dual-stack [::]), then an echo of what the client sends until it
    // closes (so a test can hold a connection open), until killed.
    private const string LineServer =
        "import socket,sys,threading\n" +
        "s=socket.socket(socket.AF_INET6)\n" +
        "s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n" +
        "s.setsockopt(socket.IPPROTO_IPV6,socket.IPV6_V6ONLY,0)\n" +
        "s.bind(('::',int(sys.argv[1])))\n" +
        "s.listen(64)\n" +
        "def serve(c):\n" +
        "  try:\n" +
        "    c.sendall(sys.argv[2].encode()+b'\\n')\n" +
        "    c.settimeout(30)\n" +
        "    while True:\n" +
        "      r=c.recv(64)\n" +
        "      if not r: break\n" +
        "      c.sendall(r)\n" +
        "  except Exception: pass\n" +
        "  c.close()\n" +
        "while True:\n" +
        "  c,_=s.accept()\n" +
        "  threading.Thread(target=serve,args=(c,),daemon=True).start()\n";

    private const string LineClient =
        "import socket,sys\n" +
        "s=socket.create_connection((sys.argv[1],int(sys.argv[2])),3)\n" +
        "s.settimeout(3)\n" +
        "print(s.recv(64).decode().strip())\n";

    // Connects to :22 over IPv4 and IPv6 every 50 ms and prints each change of answer ("4 REAL", "6 TARPIT"); stops
    // once both families went TARPIT then REAL again, or after the given seconds.
    private const string TransitionWatcher =
        "import socket,sys,time\n" +
        "end=time.time()+float(sys.argv[3])\n" +
        "seen={'4':[],'6':[]}\n" +
        "while time.time()<end:\n" +
        "  for fam,addr in (('4',sys.argv[1]),('6',sys.argv[2])):\n" +
        "    try:\n" +
        "      s=socket.create_connection((addr,22),1);s.settimeout(1);r=s.recv(64).decode().strip();s.close()\n" +
        "    except Exception:\n" +
        "      r='ERR'\n" +
        "    if not seen[fam] or seen[fam][-1]!=r:\n" +
        "      seen[fam].append(r);print(fam,r,flush=True)\n" +
        "  if all(v[-2:]==['TARPIT','REAL'] for v in seen.values()):\n" +
        "    break\n" +
        "  time.sleep(0.05)\n";

    private readonly CancellationTokenSource _servers = new();

    private FirewallScenario(TestNetwork network, string directory)
    {
        Network = network;
        Directory = directory;
        ConfigPath = Path.Combine(directory, "tarpit.toml");
        StateDir = Path.Combine(directory, "state");
    }

    public TestNetwork Network { get; }

    public string Directory { get; }

    public string ConfigPath { get; }

    public string StateDir { get; }

    public static async Task<FirewallScenario> CreateAsync(string extraAllow, bool cutEstablished, CancellationToken cancellationToken)
    {
        var network = await TestNetwork.CreateAsync(cancellationToken);
        var scenario = new FirewallScenario(network, System.IO.Directory.CreateTempSubdirectory("tarpit-fw-").FullName);
        await File.WriteAllTextAsync(scenario.ConfigPath, Config(extraAllow, cutEstablished), cancellationToken);
        scenario.StartServer(RealPort, "REAL");
        scenario.StartServer(TarpitPort, "TARPIT");
        foreach (var port in new[] { RealPort, TarpitPort })
        {
            await scenario.WaitForServerAsync(port, cancellationToken);
        }

        return scenario;
    }

    /// <summary>What a client in <paramref name="netns"/> reads from <paramref name="address"/>:22 ("REAL", "TARPIT", or the error).</summary>
    public static async Task<string> ConnectAsync(string netns, string address, CancellationToken cancellationToken)
    {
        var (_, output) = await TestNetwork.ExecAsync(netns, ["python3", "-c", LineClient, address, RealPort.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10), cancellationToken);
        return output.Trim();
    }

    /// <summary>
    /// Watches what a client in <paramref name="netns"/> gets from :22 over both families, as a list of changes
    /// ("4 REAL", "4 TARPIT", …); robust to a slow machine, unlike a single connect after a short ban.
    /// </summary>
    public static async Task<string[]> WatchTransitionsAsync(string netns, string v4, string v6, TimeSpan duration, CancellationToken cancellationToken)
    {
        var seconds = duration.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        var (_, output) = await TestNetwork.ExecAsync(netns, ["python3", "-c", TransitionWatcher, v4, v6, seconds], duration + TimeSpan.FromSeconds(10), cancellationToken);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary><c>tarpit-agent VERB ... --config FILE</c> inside the server namespace.</summary>
    public Task<(int ExitCode, string Output)> AgentAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        AgentProcess.RunAsync(arguments.Concat(["--config", ConfigPath]), Network.Server, TimeSpan.FromSeconds(120), cancellationToken: cancellationToken);

    public Task<(int ExitCode, string Output)> NftAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        TestNetwork.ExecAsync(Network.Server, arguments.Prepend("nft"), TimeSpan.FromSeconds(30), cancellationToken);

    /// <summary>The offender elements in the server namespace's kernel (empty when the table is missing).</summary>
    public async Task<IReadOnlyList<FirewallElement>> OffendersAsync(CancellationToken cancellationToken)
    {
        var (code, output) = await NftAsync(["-j", "list", "table", "inet", "tarpit"], cancellationToken);
        return code == 0 ? NftJson.ParseOffenders(output) : [];
    }

    /// <summary>An nft that runs inside the server namespace, for in-process use of <see cref="NftFirewall"/>.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task<string> NftWrapperAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Directory, "nft-in-netns");
        await File.WriteAllTextAsync(path, $"#!/bin/sh\nexec ip netns exec {Network.Server} nft \"$@\"\n", cancellationToken);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _servers.CancelAsync();
        await Network.DisposeAsync();
        _servers.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static string Config(string extraAllow, bool cutEstablished) =>
        $$"""
        [agent]
        state_dir = "state"
        log_file = ""

        [firewall]
        table = "tarpit"
        ban_time = "1h"
        allow = ["127.0.0.0/8", "::1/128"{{extraAllow}}]
        cut_established = {{(cutEstablished ? "true" : "false")}}

        [[tarpit]]
        name = "ssh"
        protocol = "ssh"
        host_keys = "generated"
        listen = ["[::]:{{TarpitPort}}"]
        redirect_ports = [{{RealPort}}]
        """;

    private void StartServer(int port, string line) =>
        _ = Cli.Wrap("ip")
            .WithArguments(["netns", "exec", Network.Server, "python3", "-c", LineServer, port.ToString(CultureInfo.InvariantCulture), line])
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(_servers.Token)
            .Task.ContinueWith(t => t.Exception, TaskScheduler.Default);

    private async Task WaitForServerAsync(int port, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var (_, output) = await TestNetwork.ExecAsync(Network.Server, ["python3", "-c", LineClient, "::1", port.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5), cancellationToken);
            if (output.Contains("REAL", StringComparison.Ordinal) || output.Contains("TARPIT", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new InvalidOperationException(new StringBuilder().Append("The test server on port ").Append(port).Append(" did not start").ToString());
    }
}
