using System.Text;
using CliWrap;

namespace Tarpit.SystemTests.Infrastructure;

/// <summary>
/// CrowdSec's real Local API (Debian's <c>crowdsec</c> package) inside a namespace the test created: its config, data
/// and hub dirs private to the test (<c>crowdsec -c CFG -no-cs</c>: the LAPI alone, no log processing, no online
/// client, no Prometheus), listening on that namespace's loopback. <c>cscli -c CFG</c> registers the bouncer and a
/// machine whose credentials file lets cscli add and delete decisions. Disposal kills it; the directory is the caller's.
/// </summary>
internal sealed class RealLapi : IAsyncDisposable
{
    private readonly string _netns;
    private readonly StringBuilder _log = new();
    private CancellationTokenSource? _stop;
    private CommandTask<CommandResult>? _task;

    private RealLapi(string netns, string directory, string listen)
    {
        _netns = netns;
        Directory = directory;
        Listen = listen;
    }

    public string Directory { get; }

    /// <summary>The address the LAPI listens on inside the namespace, e.g. <c>127.0.0.1:8080</c>.</summary>
    public string Listen { get; }

    public string Url => $"http://{Listen}/";

    public string ConfigPath => Path.Combine(Directory, "cfg", "config.yaml");

    public string Output
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Writes the private config and starts the LAPI in <paramref name="netns"/>; waits (bounded) until it answers.</summary>
    public static async Task<RealLapi> StartAsync(string netns, string directory, CancellationToken cancellationToken, string listen = "127.0.0.1:8080")
    {
        Prerequisites.Require(true, "crowdsec", "cscli", "ip");
        var lapi = new RealLapi(netns, directory, listen);
        var cfg = Path.Combine(directory, "cfg");
        var data = Path.Combine(directory, "data");
        var hub = Path.Combine(directory, "hub");
        foreach (var dir in new[] { cfg, data, hub })
        {
            System.IO.Directory.CreateDirectory(dir);
        }

        await File.WriteAllTextAsync(Path.Combine(hub, ".index.json"), "{}", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(cfg, "simulation.yaml"), "simulation: false\n", cancellationToken);
        await File.WriteAllTextAsync(
            Path.Combine(cfg, "profiles.yaml"),
            "name: default_ip_remediation\nfilters:\n - Alert.Remediation == true && Alert.GetScope() == \"Ip\"\ndecisions:\n - type: ban\n   duration: 4h\non_success: break\n",
            cancellationToken);
        await File.WriteAllTextAsync(
            lapi.ConfigPath,
            $"""
            common:
              daemonize: false
              log_media: stdout
              log_level: info
              working_dir: .
            config_paths:
              config_dir: {cfg}/
              data_dir: {data}/
              simulation_path: {cfg}/simulation.yaml
              hub_dir: {hub}/
              index_path: {hub}/.index.json
              notification_dir: {cfg}/notifications/
              plugin_dir: /usr/lib/crowdsec/plugins/
            crowdsec_service:
              acquisition_path: {cfg}/acquis.yaml
            db_config:
              type: sqlite
              db_path: {data}/crowdsec.db
              use_wal: true
            api:
              client:
                credentials_path: {cfg}/local_api_credentials.yaml
              server:
                log_level: info
                listen_uri: {listen}
                profiles_path: {cfg}/profiles.yaml
                trusted_ips: [127.0.0.1]
            prometheus:
              enabled: false
            """,
            cancellationToken);
        await lapi.RunAsync(cancellationToken);
        return lapi;
    }

    /// <summary>Starts (again) the LAPI process, waiting at most 30 s for its "listening" line.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _stop = new CancellationTokenSource();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var target = PipeTarget.ToDelegate(line =>
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }

            if (line.Contains("Local API listening", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        });
        _task = Cli.Wrap("ip")
            .WithArguments(["netns", "exec", _netns, "crowdsec", "-c", ConfigPath, "-no-cs"])
            .WithStandardOutputPipe(target)
            .WithStandardErrorPipe(target)
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(CancellationToken.None, _stop.Token);
        var finished = await Task.WhenAny(ready.Task, _task.Task, Task.Delay(TimeSpan.FromSeconds(30), cancellationToken));
        if (finished != ready.Task)
        {
            throw new InvalidOperationException($"the LAPI did not start within 30 s:\n{Output}");
        }
    }

    /// <summary>Stops the LAPI (SIGTERM, then the process is waited for, 10 s at most).</summary>
    public async Task StopAsync()
    {
        if (_task is null || _stop is null)
        {
            return;
        }

        await _stop.CancelAsync();
        await Task.WhenAny(_task.Task, Task.Delay(TimeSpan.FromSeconds(10)));
        _stop.Dispose();
        (_task, _stop) = (null, null);
    }

    /// <summary><c>cscli -c CFG ARGS</c> in the namespace; fails with its output when it fails.</summary>
    public async Task<string> CscliAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var (code, output) = await TestNetwork.ExecAsync(_netns, new[] { "cscli", "-c", ConfigPath }.Concat(arguments), TimeSpan.FromSeconds(30), cancellationToken);
        if (code != 0)
        {
            throw new InvalidOperationException($"cscli {string.Join(' ', arguments)} failed ({code}): {output}\nLAPI:\n{Output}");
        }

        return output;
    }

    /// <summary>Registers a bouncer and returns its API key.</summary>
    public async Task<string> AddBouncerAsync(string name, CancellationToken cancellationToken)
    {
        var output = await CscliAsync(["bouncers", "add", name, "-o", "raw"], cancellationToken);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
    }

    /// <summary>Registers a machine and writes its credentials where cscli reads them (so cscli can add decisions); returns that file.</summary>
    public async Task<string> AddMachineAsync(string name, string password, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Directory, "cfg", "local_api_credentials.yaml");
        await CscliAsync(["machines", "add", name, "--password", password, "-f", file, "--url", Url], cancellationToken);
        return file;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
