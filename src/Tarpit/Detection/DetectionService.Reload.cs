using Tarpit.Config;
using Tarpit.Detection.Judgement;
using Tarpit.Detection.Sources;

namespace Tarpit.Detection;

/// <summary>
/// Reload: watches started, stopped or restarted while detection runs. A watch the reload starts or restarts begins
/// at the end of its log (no read-back): what it read before was judged already, and judging it again would count
/// the same offences twice.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Design",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "The reload gate is a SemaphoreSlim whose wait handle is never asked for: it holds nothing to release.")]
internal sealed partial class DetectionService
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private readonly Dictionary<string, RunningWatch> _running = new(StringComparer.Ordinal);
    private CancellationToken _stopping;
    private bool _stopped;

    /// <summary>
    /// The first half of a reload, which changes nothing: builds the source, filter and judge of every watch
    /// <paramref name="changes"/> starts or restarts. A broken custom filter file throws <see cref="ConfigException"/>.
    /// </summary>
    public PreparedWatches Prepare(IReadOnlyList<WatchChange> changes, ConfigFile config)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(config);
        var built = changes
            .Where(c => c.File is not null)
            .Select(c =>
            {
                var (source, judge) = Build(c.File!, TimeSpan.Zero, config);
                return (c.Name, source, judge);
            })
            .ToList();
        return new PreparedWatches(changes, built);
    }

    /// <summary>
    /// The second half: stops the removed and changed watches (as at shutdown) and starts the prepared ones. Does
    /// nothing after <see cref="RunAsync"/> stopped.
    /// </summary>
    public async Task ReloadAsync(PreparedWatches prepared, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var (changes, built) = (prepared.Changes, prepared.Built);
        await _reload.WaitAsync(cancellationToken);
        try
        {
            if (_stopped)
            {
                return;
            }

            foreach (var change in changes.Where(c => c.Running is not null))
            {
                RunningWatch? old;
                lock (_running)
                {
                    _running.Remove(change.Name, out old);
                }

                if (old is not null)
                {
                    await old.Stop.CancelAsync();
                    await old.Run;
                    old.Stop.Dispose();
                }
            }

            foreach (var (name, source, judge) in built)
            {
                lock (_running)
                {
                    _running[name] = Start(source, judge);
                }
            }
        }
        finally
        {
            _reload.Release();
        }
    }

    /// <summary>What <see cref="Prepare"/> built, for <see cref="ReloadAsync"/>.</summary>
    internal sealed record PreparedWatches(IReadOnlyList<WatchChange> Changes, IReadOnlyList<(string Name, ILogSource Source, WatchJudge Judge)> Built);

    /// <summary>One running watch: its config, its source, its stop token, its source and judge loops.</summary>
    private sealed record RunningWatch(WatchConfig Watch, ILogSource Source, CancellationTokenSource Stop, Task Run);
}
