using System.Net.Sockets;
using System.Text;
using CliWrap;

namespace Tarpit.SystemTests.Infrastructure;

/// <summary>
/// A real OpenSSH server in a test namespace on port 22 that logs through syslog(3), as a distribution's sshd does, so
/// its lines carry their pid (<c>sshd -E FILE</c> lines carry none). It runs in a private mount namespace whose /dev
/// is a copy of the host's few devices plus <c>/dev/log</c> bound to a datagram socket this object reads: the raw
/// datagrams (<c>&lt;38&gt;Dec  2 00:25:43 sshd[14606]: …</c>) are collected in order. The host's /dev is never touched.
/// Config, keys and socket live in the test's temp dir; Dispose stops sshd and the reader.
/// </summary>
internal sealed class SyslogSshd : IAsyncDisposable
{
    /// <summary>A syslog datagram is at most this long here (glibc's syslog(3) sends one line; RFC 5426 §3.2 allows 64 KiB).</summary>
    private const int MaxDatagram = 64 * 1024;

    private static readonly string[] Devices = ["null", "zero", "random", "urandom", "tty", "full"];

    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _lines = [];
    private readonly Task _reader;
    private Task? _sshd;

    private SyslogSshd(Socket socket)
    {
        _socket = socket;
        _reader = Task.Run(ReadAsync);
    }

    /// <summary>The datagrams received so far, one line each.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public static async Task<SyslogSshd> StartAsync(string netns, string directory, IEnumerable<string> config, CancellationToken cancellationToken)
    {
        Prerequisites.Require(true, "/usr/sbin/sshd", "unshare", "mount");
        var dev = Path.Combine(directory, "dev");
        Directory.CreateDirectory(dev);
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(Path.Combine(dev, "log")));
        var sshd = new SyslogSshd(socket);
        var configFile = Path.Combine(directory, "sshd_config");
        await File.WriteAllLinesAsync(configFile, config, cancellationToken);
        Directory.CreateDirectory("/run/sshd"); // Debian's sshd insists on its privilege separation directory
        var binds = string.Join("; ", Devices.Select(d => $"touch '{dev}/{d}' && mount --bind /dev/{d} '{dev}/{d}'"));
        sshd._sshd = Cli.Wrap("ip")
            .WithArguments(["netns", "exec", netns, "unshare", "-m", "--propagation", "private", "sh", "-c",
                $"{binds} && mount --rbind '{dev}' /dev && exec /usr/sbin/sshd -D -f '{configFile}'"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(sshd._stop.Token)
            .Task;
        while (!sshd.Lines.Any(l => l.Contains("Server listening", StringComparison.Ordinal)))
        {
            if (sshd._sshd.IsCompleted)
            {
                throw new InvalidOperationException("sshd exited before listening: " + string.Join('\n', sshd.Lines));
            }

            await Task.Delay(100, cancellationToken);
        }

        return sshd;
    }

    /// <summary>Waits until a line containing <paramref name="text"/> arrived (sshd logs a connection's end after the client left).</summary>
    public async Task WaitForAsync(string text, int count, CancellationToken cancellationToken)
    {
        while (Lines.Count(l => l.Contains(text, StringComparison.Ordinal)) < count)
        {
            await Task.Delay(100, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        foreach (var task in new[] { _sshd, _reader })
        {
            try
            {
                await (task ?? Task.CompletedTask);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }

        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[MaxDatagram];
        while (!_stop.IsCancellationRequested)
        {
            var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            var line = Encoding.UTF8.GetString(buffer, 0, read).TrimEnd('\n', '\0');
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }
}
