using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CliWrap;

namespace Tarpit.SystemTests.Tarpits.Ssh;

/// <summary>
/// Debian's endlessh on a free loopback port with the given delay and its default 32-byte lines, no config file (an
/// empty private one), for comparison beside a tarpit in the same test. Disposal kills it.
/// </summary>
internal sealed class Endlessh : IAsyncDisposable
{
    public const string Tool = "endlessh";

    private readonly CancellationTokenSource _kill = new();
    private readonly string _directory;
    private readonly Task<CommandResult> _run;

    private Endlessh(int port, TimeSpan delay, string directory)
    {
        Port = port;
        _directory = directory;
        var config = Path.Combine(directory, "config");
        File.WriteAllText(config, "");
        string[] arguments = ["-f", config, "-4", "-p", Format(port), "-d", Format((int)delay.TotalMilliseconds), "-l", "32"];
        _run = Cli.Wrap(Tool).WithArguments(arguments).WithValidation(CommandResultValidation.None).ExecuteAsync(_kill.Token);
    }

    public int Port { get; }

    public static async Task<Endlessh> StartAsync(TimeSpan delay)
    {
        var endlessh = new Endlessh(FreeLoopbackPort(), delay, Directory.CreateTempSubdirectory("tarpit-endlessh-").FullName);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, endlessh.Port, deadline.Token);
                return endlessh;
            }
            catch (SocketException) when (!deadline.IsCancellationRequested && !endlessh._run.IsCompleted)
            {
                await Task.Delay(100, deadline.Token);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _kill.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
            // Killed, as asked.
        }

        _kill.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int FreeLoopbackPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
