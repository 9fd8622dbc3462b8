using System.Collections.Concurrent;
using System.Text;
using CliWrap;

namespace Tarpit.SystemTests.Infrastructure;

/// <summary>
/// The real <c>tarpit-agent</c> (the JIT build next to the tests, or the Native AOT publish: <see cref="AgentBinary"/>) run
/// as a child process, optionally inside a network namespace. Output lines are collected so a test can wait for one; disposal stops the process whatever happened.
/// </summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _lineArrived = new(0);
    private readonly CancellationTokenSource _graceful = new();
    private readonly CancellationTokenSource _forceful = new();
    private readonly CommandTask<CommandResult> _task;

    private AgentProcess(IEnumerable<string> arguments, string? netns, IReadOnlyDictionary<string, string?>? environment, AgentBinary binary)
    {
        var (target, args) = binary.CommandLine(arguments, netns);
        _task = Cli.Wrap(target)
            .WithArguments(args)
            .WithEnvironmentVariables(environment ?? new Dictionary<string, string?>())
            .WithStandardOutputPipe(PipeTarget.ToDelegate(OnLine))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(OnLine))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(_forceful.Token, _graceful.Token);
    }

    public int ProcessId => _task.ProcessId;

    public Task<CommandResult> Exited => _task.Task;

    public string Output => string.Join('\n', _lines);

    /// <summary>Starts <c>tarpit-agent ARGS</c>; with <paramref name="netns"/>, inside that namespace; the JIT build unless <paramref name="binary"/> says otherwise.</summary>
    public static AgentProcess Start(IEnumerable<string> arguments, string? netns = null, IReadOnlyDictionary<string, string?>? environment = null, AgentBinary? binary = null) =>
        new(arguments, netns, environment, binary ?? AgentBinary.Jit);

    /// <summary>Runs a short verb (<c>ban</c>, <c>list</c>, <c>check</c>…) to completion and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> arguments, string? netns = null, TimeSpan? timeout = null, AgentBinary? binary = null, CancellationToken cancellationToken = default)
    {
        var (target, args) = (binary ?? AgentBinary.Jit).CommandLine(arguments, netns);
        var output = new StringBuilder();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(30));
        var result = await Cli.Wrap(target)
            .WithArguments(args)
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(output))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(output))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(cts.Token);
        return (result.ExitCode, output.ToString());
    }

    /// <summary>Waits until an output line contains <paramref name="text"/>; fails with the output so far on timeout.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var seen = 0;
        while (true)
        {
            var lines = _lines.ToArray();
            for (; seen < lines.Length; seen++)
            {
                if (lines[seen].Contains(text, StringComparison.Ordinal))
                {
                    return lines[seen];
                }
            }

            if (_task.Task.IsCompleted)
            {
                throw new InvalidOperationException($"tarpit-agent exited before printing '{text}'. Output:\n{Output}");
            }

            try
            {
                await _lineArrived.WaitAsync(TimeSpan.FromMilliseconds(200), cts.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"tarpit-agent did not print '{text}' within {timeout}. Output:\n{Output}");
            }
        }
    }

    /// <summary>SIGINT (graceful), then waits for exit; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        await _graceful.CancelAsync();
        _forceful.CancelAfter(timeout);
        try
        {
            return (await _task).ExitCode;
        }
        catch (OperationCanceledException)
        {
            return -1;
        }
    }

    /// <summary>SIGKILL, as a crash or the OOM killer would.</summary>
    public async Task KillAsync()
    {
        await _forceful.CancelAsync();
        try
        {
            await _task;
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_task.Task.IsCompleted)
        {
            await StopAsync(TimeSpan.FromSeconds(10));
        }

        _graceful.Dispose();
        _forceful.Dispose();
        _lineArrived.Dispose();
    }


    private void OnLine(string line)
    {
        _lines.Enqueue(line);
        _lineArrived.Release();
    }
}
