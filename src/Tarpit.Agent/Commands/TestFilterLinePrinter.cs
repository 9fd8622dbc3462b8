using System.Globalization;
using Tarpit.Detection.Filters;
using Tarpit.Detection.Sources;
using Tarpit.Text;

namespace Tarpit.Agent.Commands;

/// <summary>
/// <c>test-filter --print</c>: one line per judged line of the kinds asked for, as
/// <c>matched 192.0.2.7 [class] | line</c>, <c>ignored [why] | line</c>, <c>missed | line</c>; the log line escaped.
/// </summary>
internal sealed class TestFilterLinePrinter(TestFilterPrint print, TextWriter output)
{
    public void OnLine(in LogView line, in FilterMatch match)
    {
        switch (match.Verdict)
        {
            case FilterVerdict.Offence when print.HasFlag(TestFilterPrint.Matched):
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"matched {match.Address} [{match.Rule}] | {Escaped(line)}"));
                break;
            case FilterVerdict.Ignored when print.HasFlag(TestFilterPrint.Ignored):
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ignored [{match.Rule ?? "ignoreregex"}] | {Escaped(line)}"));
                break;
            case FilterVerdict.Missed when print.HasFlag(TestFilterPrint.Missed):
                output.WriteLine("missed | " + Escaped(line));
                break;
        }
    }

    private static string Escaped(in LogView line) => AttackerText.Escape(line.Line.ToString(), LineSplitter.DefaultMaxLineBytes);
}
