using CliWrap;

namespace Tarpit.SystemTests.Infrastructure;

/// <summary>
/// A real OpenSSH server in a test namespace on port 22, with a private config and host key in a temp dir, writing its
/// log to a file: either bare (<c>sshd -E FILE</c>) or with a traditional syslog prefix (what fail2ban's stock filter
/// expects from /var/log/auth.log). Dispose stops it.
/// </summary>
internal sealed class RealSshd : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Task _process;

    private RealSshd(string logFile, int port, CancellationTokenSource stop, Task process)
    {
        LogFile = logFile;
        Port = port;
        _stop = stop;
        _process = process;
    }

    public string LogFile { get; }

    /// <summary>The port of a server started by <see cref="StartOnLoopbackAsync"/>; 22 inside a namespace.</summary>
    public int Port { get; }

    /// <summary>
    /// A private sshd on 127.0.0.1 of the test's own namespace, on a free port (loopback only: for tools that must reach
    /// both it and an in-process tarpit, e.g. ssh-audit and <c>banner = "auto"</c>).
    /// </summary>
    public static async Task<RealSshd> StartOnLoopbackAsync(string directory, CancellationToken cancellationToken)
    {
        Prerequisites.Require(true, "/usr/sbin/sshd", "ssh-keygen");
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        var hostKey = Path.Combine(directory, "ssh_host_ed25519_key");
        await Cli.Wrap("ssh-keygen").WithArguments(["-q", "-t", "ed25519", "-N", "", "-f", hostKey]).ExecuteAsync(cancellationToken);
        var config = Path.Combine(directory, "sshd_config");
        await File.WriteAllLinesAsync(
            config,
            [$"Port {port}", "ListenAddress 127.0.0.1", $"HostKey {hostKey}", "PidFile none", "UsePAM no", "StrictModes no", "LogLevel INFO", "MaxStartups 100"],
            cancellationToken);
        Directory.CreateDirectory("/run/sshd");
        var logFile = Path.Combine(directory, "sshd.log");
        var command = Cli.Wrap("/usr/sbin/sshd").WithArguments(["-D", "-E", logFile, "-f", config]);
        return await LaunchAsync(command, logFile, port, cancellationToken);
    }

    public static async Task<RealSshd> StartAsync(string netns, string directory, bool syslogPrefix, CancellationToken cancellationToken)
    {
        Prerequisites.Require(true, "/usr/sbin/sshd", "ssh-keygen", "python3");
        var hostKey = Path.Combine(directory, "ssh_host_ed25519_key");
        await Cli.Wrap("ssh-keygen").WithArguments(["-q", "-t", "ed25519", "-N", "", "-f", hostKey]).ExecuteAsync(cancellationToken);
        var config = Path.Combine(directory, "sshd_config");
        await File.WriteAllLinesAsync(
            config,
            ["Port 22", "ListenAddress 0.0.0.0", "ListenAddress ::", $"HostKey {hostKey}", "PidFile none", "UsePAM no", "StrictModes no", "LogLevel INFO", "MaxStartups 100"],
            cancellationToken);
        Directory.CreateDirectory("/run/sshd"); // Debian's sshd insists on its privilege separation directory
        var logFile = Path.Combine(directory, syslogPrefix ? "auth.log" : "sshd.log");
        var prefixer = Path.Combine(directory, "syslog_prefix.py");
        await File.WriteAllTextAsync(prefixer, PrefixScript, cancellationToken);
        var command = syslogPrefix
            ? Cli.Wrap("ip").WithArguments(["netns", "exec", netns, "sh", "-c",
                $"/usr/sbin/sshd -D -e -f '{config}' 2>&1 | python3 -u '{prefixer}' >> '{logFile}'"])
            : Cli.Wrap("ip").WithArguments(["netns", "exec", netns, "/usr/sbin/sshd", "-D", "-E", logFile, "-f", config]);
        return await LaunchAsync(command, logFile, 22, cancellationToken);
    }

    private static async Task<RealSshd> LaunchAsync(Command command, string logFile, int port, CancellationToken cancellationToken)
    {
        var stop = new CancellationTokenSource();
        var process = command.WithValidation(CommandResultValidation.None).ExecuteAsync(stop.Token).Task;
        var started = new RealSshd(logFile, port, stop, process);
        while (!(File.Exists(logFile) && (await File.ReadAllTextAsync(logFile, cancellationToken)).Contains("Server listening", StringComparison.Ordinal)))
        {
            if (process.IsCompleted)
            {
                throw new InvalidOperationException("sshd exited before listening: " + (File.Exists(logFile) ? await File.ReadAllTextAsync(logFile, cancellationToken) : "no log"));
            }

            await Task.Delay(100, cancellationToken);
        }

        return started;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _process;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    // `Mon DD HH:MM:SS host sshd[pid]: message`, as rsyslog writes auth.log in the traditional format.
    private const string PrefixScript = """
        import os, sys, time
        for line in sys.stdin:
            sys.stdout.write(time.strftime("%b %e %H:%M:%S") + " testhost sshd[" + str(os.getpid()) + "]: " + line)
            sys.stdout.flush()
        """;
}
