using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tarpit.SystemTests.Operations;

/// <summary>A real TCP client made inside a test namespace (its socket stays there), as an attacker holds one.</summary>
internal static class HeldClient
{
    public static Task<Socket> ConnectAsync(string netns, string server, int port, CancellationToken cancellationToken) =>
        Task.Run(() => Tarpits.NetnsThread.Run(netns, () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Connect(new IPEndPoint(IPAddress.Parse(server), port));
            return socket;
        }), cancellationToken);

    /// <summary>Reads what the tarpit sends first, within <paramref name="timeout"/>; empty when it closed the connection.</summary>
    public static async Task<string> ReadSomeAsync(Socket socket, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var buffer = new byte[512];
        var count = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        return Encoding.ASCII.GetString(buffer, 0, count);
    }

    /// <summary>SIGTERM, as systemd stops the agent; its exit code.</summary>
    public static Task<int> TerminateAsync(Infrastructure.AgentProcess agent, CancellationToken cancellationToken) =>
        SignalAsync(agent, "TERM", cancellationToken);

    /// <summary>Sends <paramref name="signal"/> (TERM, INT) to the process and returns its exit code.</summary>
    public static async Task<int> SignalAsync(Infrastructure.AgentProcess agent, string signal, CancellationToken cancellationToken)
    {
        var kill = await CliWrap.Cli.Wrap("kill").WithArguments(["-" + signal, agent.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            .WithValidation(CliWrap.CommandResultValidation.None)
            .ExecuteAsync(cancellationToken);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {agent.ProcessId} failed ({kill.ExitCode})");
        }

        return (await agent.Exited.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken)).ExitCode;
    }
}
