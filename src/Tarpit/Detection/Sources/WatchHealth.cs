namespace Tarpit.Detection.Sources;

/// <summary>
/// How one watch's source is doing, for <c>tarpit-agent status</c> and for the one warning a broken watch gets: whether
/// its source was found, lines read, the last line's time, and the current problem (missing, unreadable, journalctl
/// failing, no journal entry ever, silent far longer than usual). The source writes it on its own task; status reads
/// it from another thread, so every field is read and written whole (Interlocked / volatile).
/// A problem is reported once when it begins (<see cref="SetProblem"/> returns true) and once when it ends.
/// </summary>
internal sealed class WatchHealth(TimeProvider time)
{
    /// <summary>
    /// A watch is "silent far longer than usual" only after it showed what usual is: at least this many lines since
    /// the agent started (a log that never had a line says nothing about its rhythm).
    /// </summary>
    public const int MinLinesForUsual = 10;

    /// <summary>Silent means quiet for this many mean gaps between the lines seen so far...</summary>
    public const int SilenceFactor = 20;

    /// <summary>...and never less than an hour: an auth log of a quiet server can rest for an hour without being broken.</summary>
    public static readonly TimeSpan SilenceFloor = TimeSpan.FromHours(1);

    private readonly DateTimeOffset _started = time.GetUtcNow();
    private long _lines;
    private long _firstLineTicks;
    private long _lastLineTicks;
    private volatile string? _problem;
    private volatile bool _silent;
    private volatile bool _found;

    /// <summary>The source is open (the file, or journalctl running).</summary>
    public bool Found => _found;

    public long Lines => Interlocked.Read(ref _lines);

    /// <summary>When the source last handed a line to the judge; null before the first.</summary>
    public DateTimeOffset? LastLineAt => Interlocked.Read(ref _lastLineTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    /// <summary>The source's own problem (missing, unreadable, journalctl failing), or null.</summary>
    public string? Problem => _problem;

    /// <summary>Lines per second since the watch started.</summary>
    public double LinesPerSecond(DateTimeOffset now) =>
        Lines / Math.Max(1.0, (now - _started).TotalSeconds);

    /// <summary>The problem for status: the source's own, else silence, else null.</summary>
    public string? Describe(DateTimeOffset now) =>
        _problem ?? (SilentFor(now) is { } quiet ? $"silent for {Config.DurationSyntax.Format(Round(quiet))}, far longer than usual (a line every {Config.DurationSyntax.Format(Round(MeanGap()!.Value))} on average)" : null);

    /// <summary>Marks the source open; returns the problem it ends, or null.</summary>
    public string? SetFound()
    {
        _found = true;
        var ended = _problem;
        _problem = null;
        return ended;
    }

    /// <summary>Records <paramref name="problem"/>; true when it is new (log it once), false when it goes on.</summary>
    public bool SetProblem(string problem, bool found = false)
    {
        _found = found;
        var before = _problem;
        _problem = problem;
        return !string.Equals(before, problem, StringComparison.Ordinal);
    }

    /// <summary>The source runs (journalctl started); a problem stays until lines show it is over.</summary>
    public void SetRunning() => _found = true;

    /// <summary>Counts the lines of one read.</summary>
    public void Read(int lines, DateTimeOffset at)
    {
        if (lines <= 0)
        {
            return;
        }

        Interlocked.CompareExchange(ref _firstLineTicks, at.UtcTicks, 0);
        Interlocked.Exchange(ref _lastLineTicks, at.UtcTicks);
        Interlocked.Add(ref _lines, lines);
    }

    /// <summary>
    /// Checks for silence now; returns true when the watch just became silent (log it once), and sets it back when a
    /// line came since. <paramref name="recovered"/> is true when a silence just ended.
    /// </summary>
    public bool CheckSilence(DateTimeOffset now, out bool recovered)
    {
        var silent = SilentFor(now) is not null;
        recovered = _silent && !silent;
        var began = silent && !_silent;
        _silent = silent;
        return began;
    }

    /// <summary>How long the watch has been quiet when that is far longer than usual; null otherwise.</summary>
    public TimeSpan? SilentFor(DateTimeOffset now)
    {
        if (LastLineAt is not { } last || MeanGap() is not { } gap)
        {
            return null;
        }

        var quiet = now - last;
        var limit = TimeSpan.FromTicks(Math.Max(SilenceFloor.Ticks, gap.Ticks * SilenceFactor));
        return quiet > limit ? quiet : null;
    }

    /// <summary>The mean gap between the lines seen so far; null before <see cref="MinLinesForUsual"/> lines.</summary>
    private TimeSpan? MeanGap()
    {
        var lines = Lines;
        var first = Interlocked.Read(ref _firstLineTicks);
        var last = Interlocked.Read(ref _lastLineTicks);
        return lines < MinLinesForUsual ? null : TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, (last - first) / (lines - 1)));
    }

    private static TimeSpan Round(TimeSpan span) => TimeSpan.FromSeconds(Math.Max(1, Math.Round(span.TotalSeconds)));
}
