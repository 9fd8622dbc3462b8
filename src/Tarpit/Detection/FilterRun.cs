using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Tarpit.Detection.Filters;
using Tarpit.Detection.Judgement;
using Tarpit.Detection.Sources;
using Tarpit.Text;

namespace Tarpit.Detection;

/// <summary>
/// Runs a filter over a whole log file, as <c>tarpit-agent test-filter</c> (and <c>fail2ban-regex</c>) do: counts
/// matched, ignored and missed lines, offences per address, and which addresses the window would ban, judging each
/// offence at the line's own time. Lines longer than <see cref="LineSplitter.DefaultMaxLineBytes"/> are counted as cut
/// and not judged, as a watch does. Lines are decoded into one reused buffer: no allocation per unmatched line.
/// </summary>
internal sealed class FilterRun
{
    /// <summary>At most this many missed lines are kept for <c>--show-missed</c>.</summary>
    public const int MaxMissedShown = 1000;

    /// <summary>Bytes read per system call.</summary>
    public const int ReadBufferBytes = 1024 * 1024;

    private readonly ILogFilter _filter;
    private readonly OffenceWindow _window;
    private readonly bool _collectMissed;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _readAt;
    private readonly char[] _chars = new char[LineSplitter.DefaultMaxLineBytes];
    private readonly Dictionary<IPAddress, int> _offences = [];
    private readonly HashSet<IPAddress> _banned = [];
    private readonly List<(IPAddress, DateTimeOffset)> _wouldBan = [];
    private readonly List<string> _missedRelevant = [];
    private long _lines;
    private long _matched;
    private long _ignored;

    private FilterRun(ILogFilter filter, int maxRetry, TimeSpan findTime, bool collectMissed, TimeProvider time)
    {
        _filter = filter;
        _window = new OffenceWindow(maxRetry, findTime, int.MaxValue);
        _collectMissed = collectMissed;
        _time = time;
        _readAt = time.GetUtcNow();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static FilterRunReport Run(ILogFilter filter, Stream log, int maxRetry, TimeSpan findTime, bool collectMissed, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(log);
        var run = new FilterRun(filter, maxRetry, findTime, collectMissed, time);
        var splitter = new LineSplitter();
        var buffer = new byte[ReadBufferBytes];
        var stopwatch = Stopwatch.StartNew();
        int read;
        while ((read = log.Read(buffer)) > 0)
        {
            splitter.Push(buffer.AsSpan(0, read), run.OnLine);
        }

        splitter.Flush(run.OnLine);
        stopwatch.Stop();
        return new FilterRunReport(
            run._lines + splitter.CutLines,
            run._matched,
            run._ignored,
            run._lines - run._matched - run._ignored,
            splitter.CutLines,
            run._offences,
            run._wouldBan,
            run._missedRelevant,
            stopwatch.Elapsed);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnLine(ReadOnlySpan<byte> bytes)
    {
        _lines++;
        var written = Encoding.UTF8.GetChars(bytes, _chars);
        var view = SyslogLine.Parse(_chars.AsSpan(0, written), _readAt, _time);
        var match = _filter.Match(view);
        switch (match.Verdict)
        {
            case FilterVerdict.Offence when match.Address is { } address:
                _matched++;
                CollectionsMarshal.GetValueRefOrAddDefault(_offences, address, out _)++;
                if (_window.Record(address, match.Timestamp) >= _window.MaxRetry && _banned.Add(address))
                {
                    _wouldBan.Add((address, match.Timestamp));
                }

                break;
            case FilterVerdict.Ignored:
                _ignored++;
                break;
            default:
                if (_collectMissed && _missedRelevant.Count < MaxMissedShown && _filter.LooksRelevant(view))
                {
                    _missedRelevant.Add(AttackerText.Escape(view.Line.ToString(), LineSplitter.DefaultMaxLineBytes));
                }

                break;
        }
    }
}
