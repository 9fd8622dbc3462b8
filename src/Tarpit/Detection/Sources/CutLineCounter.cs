using Serilog;
using Tarpit.Text;

namespace Tarpit.Detection.Sources;

/// <summary>
/// Counts one watch's lines that were longer than its bound and so never judged (a cut line could end wherever its
/// writer chose), and warns at most once per <see cref="WarningInterval"/> with how many and an escaped, truncated
/// sample of the latest, so a flood of long lines cannot flood the log.
/// </summary>
internal sealed class CutLineCounter(string source, int maxLineBytes, ILogger log, TimeProvider time)
{
    /// <summary>At most one warning per watch in this long.</summary>
    public static readonly TimeSpan WarningInterval = TimeSpan.FromMinutes(1);

    /// <summary>How much of a cut line the warning shows (escaped).</summary>
    public const int MaxSampleLength = 200;

    private long _count;
    private long _countAtWarning;
    private DateTimeOffset? _warnedAt;

    /// <summary>Called for every cut line (the daemon's metrics), or null.</summary>
    public Action? OnCut { get; set; }

    /// <summary>Lines cut and not judged since the source started.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Counts one cut line, given its first bytes.</summary>
    public void Record(ReadOnlySpan<byte> head) => Warn(AttackerText.Escape(head, MaxSampleLength));

    /// <summary>Counts one cut line, given as text (a journal message).</summary>
    public void Record(string text) => Warn(AttackerText.Escape(text, MaxSampleLength));

    private void Warn(string sample)
    {
        var count = Interlocked.Increment(ref _count);
        OnCut?.Invoke();
        var now = time.GetUtcNow();
        if (_warnedAt is { } warned && now - warned < WarningInterval)
        {
            return;
        }

        SourcesLog.LinesCut(log, count - _countAtWarning, maxLineBytes, source, count, sample);
        _warnedAt = now;
        _countAtWarning = count;
    }
}
