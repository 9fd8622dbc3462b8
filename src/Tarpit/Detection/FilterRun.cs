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
/// Runs a filter over a whole log file (or a journal dump), as <c>tarpit-agent test-filter</c> (and <c>fail2ban-regex</c>)
/// do: counts matched, ignored and missed lines, lines per rule, offences per address, and which addresses the window
/// would ban, judging each offence at the line's own time. Lines longer than <see cref="LineSplitter.DefaultMaxLineBytes"/>
/// are counted as cut and not judged, as a watch does. Lines are decoded into one reused buffer: no allocation per
/// unmatched line.
/// </summary>
internal sealed partial class FilterRun
{
    /// <summary>At most this many missed lines are kept for <c>--show-missed</c>.</summary>
    public const int MaxMissedShown = 1000;

    /// <summary>Bytes read per system call.</summary>
    public const int ReadBufferBytes = 1024 * 1024;

    private readonly ILogFilter _filter;
    private readonly OffenceWindow _window;
    private readonly bool _collectMissed;
    private readonly LineJudged? _onLine;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _readAt;
    private readonly char[] _chars = new char[LineSplitter.DefaultMaxLineBytes];
    private readonly Dictionary<IPAddress, int> _offences = [];
    private readonly Dictionary<string, long> _byRule = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<IPAddress> _banned = [];
    private readonly List<(IPAddress, DateTimeOffset)> _wouldBan = [];
    private readonly List<string> _missedRelevant = [];
    private readonly Stopwatch _stopwatch = new();
    private long _lines;
    private long _cut;
    private long _matched;
    private long _ignored;

    private FilterRun(ILogFilter filter, int maxRetry, TimeSpan findTime, bool collectMissed, LineJudged? onLine, TimeProvider time)
    {
        _filter = filter;
        _window = new OffenceWindow(maxRetry, findTime, int.MaxValue);
        _collectMissed = collectMissed;
        _onLine = onLine;
        _time = time;
        _readAt = time.GetUtcNow();
    }

    /// <summary>Judges every line of <paramref name="log"/>, a log file as a watch would follow it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static FilterRunReport Run(ILogFilter filter, Stream log, int maxRetry, TimeSpan findTime, bool collectMissed, TimeProvider time, LineJudged? onLine = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        var run = new FilterRun(filter, maxRetry, findTime, collectMissed, onLine, time);
        var splitter = new LineSplitter();
        var buffer = new byte[ReadBufferBytes];
        run._stopwatch.Start();
        int read;
        while ((read = log.Read(buffer)) > 0)
        {
            splitter.Push(buffer.AsSpan(0, read), run.OnLine);
        }

        splitter.Flush(run.OnLine);
        run._cut += splitter.CutLines;
        return run.Report();
    }

    private FilterRunReport Report()
    {
        _stopwatch.Stop();
        return new FilterRunReport(
            _lines + _cut,
            _matched,
            _ignored,
            _lines - _matched - _ignored,
            _cut,
            _offences,
            _byRule,
            _wouldBan,
            _missedRelevant,
            _stopwatch.Elapsed);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnLine(ReadOnlySpan<byte> bytes)
    {
        var written = Encoding.UTF8.GetChars(bytes, _chars);
        Judge(SyslogLine.Parse(_chars.AsSpan(0, written), _readAt, _time));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Judge(in LogView view)
    {
        _lines++;
        var match = _filter.Match(view);
        switch (match.Verdict)
        {
            case FilterVerdict.Offence when match.Address is { } address:
                _matched++;
                Count(match.Rule ?? _filter.Name);
                CollectionsMarshal.GetValueRefOrAddDefault(_offences, address, out _)++;
                if (_window.Record(address, match.Timestamp) >= _window.MaxRetry && _banned.Add(address))
                {
                    _wouldBan.Add((address, match.Timestamp));
                }

                break;
            case FilterVerdict.Ignored:
                _ignored++;
                Count(match.Rule ?? "ignoreregex");
                break;
            default:
                if (_collectMissed && _missedRelevant.Count < MaxMissedShown && _filter.LooksRelevant(view))
                {
                    _missedRelevant.Add(AttackerText.Escape(view.Line.ToString(), LineSplitter.DefaultMaxLineBytes));
                }

                break;
        }

        _onLine?.Invoke(view, match);
    }

    private void Count(string rule) => CollectionsMarshal.GetValueRefOrAddDefault(_byRule, rule, out _)++;
}
