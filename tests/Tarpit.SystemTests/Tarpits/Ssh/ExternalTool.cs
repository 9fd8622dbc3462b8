using System.Text;
using CliWrap;

namespace Tarpit.SystemTests.Tarpits.Ssh;

/// <summary>Runs a real client for a bounded time and returns everything it printed.</summary>
internal static class ExternalTool
{
    /// <summary>
    /// Runs <paramref name="tool"/> until it exits or <paramref name="runFor"/> passes (then it is killed); returns
    /// whether it was still running when killed, and its stdout and stderr.
    /// </summary>
    public static Task<(bool KilledWhileRunning, string Output)> RunAsync(string tool, IEnumerable<string> arguments, TimeSpan runFor) =>
        RunAsync(tool, arguments, runFor, workingDirectory: null);

    /// <summary>
    /// As <see cref="RunAsync(string, IEnumerable{string}, TimeSpan)"/>, in <paramref name="workingDirectory"/> (when
    /// given) with HOME set to it too, for tools that write restore files there (hydra, ncrack).
    /// </summary>
    public static async Task<(bool KilledWhileRunning, string Output)> RunAsync(string tool, IEnumerable<string> arguments, TimeSpan runFor, string? workingDirectory)
    {
        var output = new StringBuilder();
        using var kill = new CancellationTokenSource(runFor);
        try
        {
            var command = Cli.Wrap(tool).WithArguments(arguments);
            if (workingDirectory is not null)
            {
                command = command.WithWorkingDirectory(workingDirectory).WithEnvironmentVariables(e => e.Set("HOME", workingDirectory));
            }

            await command
                .WithStandardInputPipe(PipeSource.Null)
                .WithStandardOutputPipe(PipeTarget.ToStringBuilder(output))
                .WithStandardErrorPipe(PipeTarget.ToStringBuilder(output))
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(kill.Token);
            return (false, output.ToString());
        }
        catch (OperationCanceledException) when (kill.IsCancellationRequested)
        {
            return (true, output.ToString());
        }
    }

    public static string[] SshArguments(int port) =>
    [
        "-vvv",
        "-o", "StrictHostKeyChecking=no",
        "-o", "UserKnownHostsFile=/dev/null",
        "-o", "ConnectTimeout=30",
        "-o", "BatchMode=yes",
        "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "x@127.0.0.1",
    ];
}
