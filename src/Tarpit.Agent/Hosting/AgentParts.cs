using Serilog;

namespace Tarpit.Agent.Hosting;

/// <summary>
/// The daemon's running parts, each with its own stop token. Parts are started downstream first and stopped in the
/// reverse order, each awaited before the next one is told to stop, so that what a stopping part hands downstream
/// (the engine's last sessions, detection's last bans) still has a receiver. Whichever part stops on its own first
/// (a failure) ends <see cref="WaitAsync"/>, and the host then stops the rest the same way.
/// </summary>
internal sealed class AgentParts(ILogger log) : IDisposable
{
    private readonly List<(string Name, CancellationTokenSource Stop, Task Run)> _parts = [];

    /// <summary>Starts a part; it runs until its own stop token is cancelled in <see cref="StopAsync"/>.</summary>
    public void Start(string name, Func<CancellationToken, Task> run)
    {
        var stop = new CancellationTokenSource();
        _parts.Add((name, stop, WatchAsync(name, run, stop.Token)));
    }

    /// <summary>Returns when the host is cancelled or when any part stops on its own.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAny(_parts.Select(p => p.Run)).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Stops the parts, the last started first, each awaited before the next is cancelled; returns the first failure
    /// (in start order), or null. It takes no token on purpose: each part bounds its own stop (the engine's sink drain,
    /// the firewall loop's cleanup grace), and a host that stopped waiting would lose exactly what the order protects.
    /// </summary>
    public async Task<Exception?> StopAsync()
    {
        for (var i = _parts.Count - 1; i >= 0; i--)
        {
            var (name, stop, run) = _parts[i];
            await stop.CancelAsync();
            await run.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            HostingLog.PartStopped(log, name);
        }

        return _parts.Where(p => p.Run.IsFaulted).Select(p => p.Run.Exception!.GetBaseException()).FirstOrDefault();
    }

    public void Dispose() => _parts.ForEach(p => p.Stop.Dispose());

    private async Task WatchAsync(string part, Func<CancellationToken, Task> run, CancellationToken cancellationToken)
    {
        try
        {
            await run(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (OperatorException ex)
        {
            HostingLog.PartStoppedByOperatorError(log, part, ex.Message);
            throw;
        }
        catch (Exception ex)
        {
            // The exception itself is logged once, by the CLI boundary the host's failure reaches.
            HostingLog.PartFailed(log, part, ex.GetType().Name);
            throw;
        }
    }
}
