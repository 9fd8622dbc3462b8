using Tarpit.Detection.Filters;
using Tarpit.Detection.Sources;

namespace Tarpit.Detection;

internal sealed partial class FilterRun
{
    /// <summary>
    /// Judges every entry of <paramref name="json"/> (<c>journalctl -o json</c>, one object a line), as a
    /// <c>journal_unit</c> watch would: the message with its identifier, pid and time. Entries cut by journald or
    /// longer than the line bound are counted as cut.
    /// </summary>
    public static FilterRunReport RunJournal(ILogFilter filter, Stream json, int maxRetry, TimeSpan findTime, bool collectMissed, TimeProvider time, LineJudged? onLine = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var run = new FilterRun(filter, maxRetry, findTime, collectMissed, onLine, time);
        var splitter = new LineSplitter(JournalSource.MaxEntryBytes);
        var buffer = new byte[ReadBufferBytes];
        run._stopwatch.Start();
        int read;
        while ((read = json.Read(buffer)) > 0)
        {
            splitter.Push(buffer.AsSpan(0, read), run.OnJournalEntry);
        }

        splitter.Flush(run.OnJournalEntry);
        run._cut += splitter.CutLines;
        return run.Report();
    }

    private void OnJournalEntry(ReadOnlySpan<byte> json)
    {
        if (!JournalEntry.TryParse(json, out var entry) || entry is null)
        {
            return;
        }

        if (entry.IsCut)
        {
            _cut++;
            return;
        }

        Judge(SyslogLine.Structured(entry.Message, entry.Program, entry.Timestamp, _time, entry.Pid));
    }
}
