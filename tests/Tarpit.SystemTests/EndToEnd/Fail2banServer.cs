using System.Text;
using CliWrap;
using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.EndToEnd;

/// <summary>
/// A real <c>fail2ban-server -f -x</c> inside a test namespace (so its actions run there too) with a private config
/// dir: socket, pid file, database and log in the scene's temp dir, Debian's stock sshd filter, the repo's
/// <c>contrib/fail2ban/action.d/tarpit.conf</c> pointed at the scene's agent binary and the scene's config, and one
/// <c>[sshd]</c> jail polling the real sshd's auth.log. Start and stop it as often as a story needs; Dispose stops it.
/// </summary>
internal sealed class Fail2banServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private readonly string _netns;
    private readonly StringBuilder _output = new();
    private CancellationTokenSource? _kill;
    private Task? _process;

    private Fail2banServer(string netns, string directory)
    {
        _netns = netns;
        Directory = directory;
    }

    public string Directory { get; }

    public string Socket => Path.Combine(Directory, "fail2ban.sock");

    public string LogFile => Path.Combine(Directory, "fail2ban.log");

    /// <summary>
    /// Writes the private config for one sshd jail with <paramref name="banTime"/> seconds (-1: permanent). The copy
    /// of the action file has its default paths (the installed binary and config) pointed at names inside the scene
    /// that do not exist, so that no section of it, whatever a change to it does, can reach a real install: a section
    /// that ignored the jail's <c>tarpit_agent</c> / <c>tarpit_config</c> fails instead.
    /// </summary>
    public static async Task<Fail2banServer> ConfigureAsync(EndToEndScene scene, int banTime, CancellationToken cancellationToken) =>
        await ConfigureAsync(scene, banTime, jailExtra: "", cancellationToken);

    /// <summary>As above, with more lines for the <c>[sshd]</c> jail (fail2ban options such as <c>bantime.increment</c>).</summary>
    public static async Task<Fail2banServer> ConfigureAsync(EndToEndScene scene, int banTime, string jailExtra, CancellationToken cancellationToken)
    {
        var directory = System.IO.Directory.CreateDirectory(Path.Combine(scene.Directory, "fail2ban")).FullName;
        var filters = System.IO.Directory.CreateDirectory(Path.Combine(directory, "filter.d")).FullName;
        var actions = System.IO.Directory.CreateDirectory(Path.Combine(directory, "action.d")).FullName;
        foreach (var filter in new[] { "sshd.conf", "common.conf" })
        {
            File.Copy(Path.Combine("/etc/fail2ban/filter.d", filter), Path.Combine(filters, filter));
        }

        var action = await File.ReadAllTextAsync(Path.Combine(AotAgent.RepositoryRoot, "contrib", "fail2ban", "action.d", "tarpit.conf"), cancellationToken);
        var missing = Path.Combine(scene.Directory, "not-installed");
        action = action
            .Replace("/usr/local/bin/tarpit-agent", Path.Combine(missing, "tarpit-agent"), StringComparison.Ordinal)
            .Replace("/etc/tarpit/tarpit.toml", Path.Combine(missing, "tarpit.toml"), StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(actions, "tarpit.conf"), action, cancellationToken);
        var server = new Fail2banServer(scene.Network.Server, directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "fail2ban.conf"), $"""
            [Definition]
            # DEBUG: the stories wait for an action's "returned successfully" and read the stdout it logs.
            loglevel = DEBUG
            logtarget = {server.LogFile}
            socket = {server.Socket}
            pidfile = {Path.Combine(directory, "fail2ban.pid")}
            dbfile = {Path.Combine(directory, "fail2ban.sqlite3")}
            dbpurgeage = 1d
            """, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, "jail.conf"), $"""
            [sshd]
            enabled = true
            filter = sshd
            backend = polling
            logpath = {scene.Sshd.LogFile}
            maxretry = 3
            findtime = 10m
            bantime = {banTime}
            action = tarpit[tarpit_agent="{scene.Binary.ShellCommand}", tarpit_config="{scene.ConfigPath}"]
            {jailExtra}
            """, cancellationToken);
        return server;
    }

    /// <summary>Starts the server and waits until the sshd jail runs.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Assert.Null(_process);
        _kill = new CancellationTokenSource();
        _process = Cli.Wrap("ip")
            .WithArguments(["netns", "exec", _netns, "fail2ban-server", "-f", "-x", "-c", Directory, "-s", Socket, "-p", Path.Combine(Directory, "fail2ban.pid")])
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(_output))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(_output))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(_kill.Token).Task;
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            var (code, status) = await ClientAsync(["status", "sshd"], cancellationToken);
            if (code == 0 && status.Contains("Currently failed", StringComparison.Ordinal))
            {
                return;
            }

            Assert.False(_process.IsCompleted, $"fail2ban-server exited: {_output}\n{Log()}");
            Assert.True(DateTime.UtcNow < deadline, $"fail2ban's sshd jail did not start within {StartTimeout}: {status}\n{_output}\n{Log()}");
            await Task.Delay(250, cancellationToken);
        }
    }

    /// <summary><c>fail2ban-client -s SOCKET stop</c>, then waits for the server to exit.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_process is null)
        {
            return;
        }

        await ClientAsync(["stop"], cancellationToken);
        var process = _process;
        var stopped = await Task.WhenAny(process, Task.Delay(StopTimeout, cancellationToken)) == process;
        if (!stopped)
        {
            await _kill!.CancelAsync();
        }

        await WaitForExitAsync();
        Assert.True(stopped, $"fail2ban-server did not stop within {StopTimeout}: {Log()}");
    }

    /// <summary>Runs <c>fail2ban-client -s SOCKET ARGS</c> (bounded) and returns its exit code and output.</summary>
    public Task<(int ExitCode, string Output)> ClientAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        TestNetwork.ExecAsync(_netns, new[] { "fail2ban-client", "-s", Socket }.Concat(arguments), TimeSpan.FromSeconds(20), cancellationToken);

    /// <summary>fail2ban's own log so far (actions it ran, their errors), for assertion messages.</summary>
    public string Log() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no fail2ban log)";

    public async ValueTask DisposeAsync()
    {
        if (_process is { IsCompleted: false })
        {
            using var cts = new CancellationTokenSource(StopTimeout);
            try
            {
                await ClientAsync(["stop"], cts.Token);
                await _process.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                await _kill!.CancelAsync();
            }
        }

        await WaitForExitAsync();
        _kill?.Dispose();
    }

    private async Task WaitForExitAsync()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            await _process;
        }
        catch (OperationCanceledException)
        {
        }

        _process = null;
    }

}
