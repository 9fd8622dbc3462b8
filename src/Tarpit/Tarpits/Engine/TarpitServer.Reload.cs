using System.Net;
using Tarpit.Config;

namespace Tarpit.Tarpits.Engine;

/// <summary>
/// Reload: tarpits started, stopped or changed while the server runs. Held connections are never touched: they stay
/// on the scheduler with the runtime (mode, caps, slots) they were accepted under until they end, so a retired runtime
/// is disposed only when the server stops.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Reliability",
    "CA2213:Disposable fields should be disposed",
    Justification = "The reload gate is a SemaphoreSlim whose wait handle is never asked for: it holds nothing to release.")]
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Design",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "The reload gate is a SemaphoreSlim whose wait handle is never asked for: it holds nothing to release.")]
internal sealed partial class TarpitServer
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private readonly Dictionary<string, RunningTarpit> _running = new(StringComparer.Ordinal);
    private readonly List<TarpitRuntime> _retired = [];
    private CancellationToken _stopping;
    private bool _stopped;

    /// <summary>
    /// Applies <paramref name="changes"/>: every new listen address is bound (and every new mode built) first; when one
    /// fails, nothing is changed and the <see cref="OperatorException"/> says why. Then removed addresses are closed,
    /// kept sockets of a tarpit whose settings changed hand new clients to its new runtime, and added ones start
    /// accepting. Only the listeners a change names are touched. Does nothing before <see cref="Ready"/> or after stop.
    /// </summary>
    public async Task ReloadAsync(IReadOnlyList<TarpitChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        await _reload.WaitAsync(cancellationToken);
        try
        {
            if (_stopped || !_ready.Task.IsCompletedSuccessfully)
            {
                return;
            }

            var prepared = await PrepareAsync(changes, cancellationToken);
            foreach (var (change, runtime, bound) in prepared)
            {
                await CommitAsync(change, runtime, bound);
            }
        }
        finally
        {
            _reload.Release();
        }
    }

    private async Task<List<(TarpitChange Change, TarpitRuntime? Runtime, List<(IPEndPoint Configured, TarpitListener Listener)> Bound)>> PrepareAsync(
        IReadOnlyList<TarpitChange> changes, CancellationToken cancellationToken)
    {
        var prepared = new List<(TarpitChange, TarpitRuntime?, List<(IPEndPoint, TarpitListener)>)>();
        var built = new List<TarpitRuntime>();
        try
        {
            foreach (var change in changes)
            {
                var bound = new List<(IPEndPoint, TarpitListener)>();
                TarpitRuntime? runtime = null;
                if (change.File is { } file)
                {
                    if (change.Running is null || change.SettingsChanged)
                    {
                        var resolved = (await AutoBanner.ResolveAsync([file], _log, _timeProvider, ModeCatalog.AutoBannerTimeout, cancellationToken))[0];
                        resolved = HostKeyFiles.Resolve([resolved], _config.Agent.StateDir, _log)[0];
                        runtime = new TarpitRuntime(resolved, _modeFactory(resolved));
                        built.Add(runtime);
                    }
                    else
                    {
                        runtime = Running(change.Name).Runtime;
                    }

                    prepared.Add((change, runtime, bound));
                    foreach (var endpoint in change.Bind)
                    {
                        bound.Add((endpoint, TarpitListener.Bind(runtime, endpoint, _log, _timeProvider)));
                    }
                }
                else
                {
                    prepared.Add((change, null, bound));
                }
            }

            return prepared;
        }
        catch
        {
            prepared.ForEach(p => p.Item3.ForEach(b => b.Item2.Dispose()));
            built.ForEach(r => r.Dispose());
            throw;
        }
    }

    private async Task CommitAsync(TarpitChange change, TarpitRuntime? runtime, List<(IPEndPoint Configured, TarpitListener Listener)> bound)
    {
        if (runtime is null)
        {
            var gone = Running(change.Name);
            foreach (var listener in gone.Listeners)
            {
                await StopListenerAsync(listener);
            }

            _retired.Add(gone.Runtime);
            lock (_running)
            {
                _running.Remove(change.Name);
            }

            return;
        }

        if (!_running.TryGetValue(change.Name, out var running))
        {
            running = new RunningTarpit(runtime);
            lock (_running)
            {
                _running[change.Name] = running;
            }
        }

        foreach (var closed in running.Listeners.Where(l => change.Close.Contains(l.Configured)).ToList())
        {
            await StopListenerAsync(closed);
            lock (_running)
            {
                running.Listeners.Remove(closed);
            }
        }

        if (running.Runtime != runtime)
        {
            // Kept sockets: stop the loop (a client in the backlog waits there), swap the runtime, accept again.
            for (var i = 0; i < running.Listeners.Count; i++)
            {
                var kept = running.Listeners[i];
                await kept.Stop.CancelAsync();
                await kept.Loop;
                kept.Stop.Dispose();
                kept.Listener.Tarpit = runtime;
                var restarted = StartListener(kept.Configured, kept.Listener);
                lock (_running)
                {
                    running.Listeners[i] = restarted;
                }
            }

            _retired.Add(running.Runtime);
            running.Runtime = runtime;
        }

        foreach (var (configured, listener) in bound)
        {
            EngineLog.Listening(_log, runtime.Name, runtime.Protocol, runtime.Mode.Name, listener.Endpoint);
            lock (_running)
            {
                running.Listeners.Add(StartListener(configured, listener));
            }
        }
    }

    private RunningTarpit Running(string name) =>
        _running.TryGetValue(name, out var running)
            ? running
            : throw new InvalidOperationException($"Tarpit '{name}' is not running; the reload's change list does not match the server.");

    private RunningListener StartListener(IPEndPoint configured, TarpitListener listener)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        var scheduler = Scheduler ?? throw new InvalidOperationException("The tarpit scheduler is not running.");
        return new RunningListener(configured, listener, stop, listener.AcceptLoopAsync(scheduler, stop.Token));
    }

    /// <summary>Stops the accept loop (cancelled, not by closing the socket under it), then closes the socket.</summary>
    private async Task StopListenerAsync(RunningListener running)
    {
        await running.Stop.CancelAsync();
        await running.Loop;
        running.Listener.Dispose();
        running.Stop.Dispose();
        EngineLog.StoppedListening(_log, running.Listener.Tarpit.Name, running.Listener.Endpoint);
    }

    /// <summary>A tarpit's current runtime and its listeners (the reload's and the shutdown's bookkeeping).</summary>
    private sealed class RunningTarpit(TarpitRuntime runtime)
    {
        public TarpitRuntime Runtime { get; set; } = runtime;

        public List<RunningListener> Listeners { get; } = [];
    }

    /// <summary>One bound socket, the listen address the config wrote for it, and its accept loop.</summary>
    private sealed record RunningListener(IPEndPoint Configured, TarpitListener Listener, CancellationTokenSource Stop, Task Loop);
}
