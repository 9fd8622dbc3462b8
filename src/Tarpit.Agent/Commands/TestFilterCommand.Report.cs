using System.Globalization;
using Tarpit.Config;
using Tarpit.Detection;
using Tarpit.Detection.Filters;
using Tarpit.Detection.Sources;

namespace Tarpit.Agent.Commands;

internal static partial class TestFilterCommand
{
    private static void Print(FilterRunReport report, ILogFilter filter, string source, TestFilterWindow window, bool showMissed, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"Filter:     {filter.Name} ({window.Mode} mode)"));
        output.WriteLine(string.Create(c, $"Log:        {source}"));
        output.WriteLine(string.Create(c, $"Window:     {window.MaxRetry} offences within {DurationSyntax.Format(window.FindTime)} ({(window.Watch is null ? "defaults" : "from [[watch]] " + window.Watch.Name)})"));
        output.WriteLine(string.Create(c, $"Lines:      {report.Lines} read, {report.Matched} matched, {report.Ignored} ignored, {report.Missed} missed, {report.CutLines} cut (longer than {LineSplitter.DefaultMaxLineBytes} bytes, not judged)"));
        if (report.ByRule.Count > 0)
        {
            output.WriteLine("By class:");
            foreach (var (rule, count) in report.ByRule.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal))
            {
                output.WriteLine(string.Create(c, $"  {count,9}  {rule}"));
            }
        }

        output.WriteLine(string.Create(c, $"Offences:   {report.Matched} by {report.Offences.Count} addresses"));
        foreach (var (address, count) in report.Offences.OrderByDescending(p => p.Value).ThenBy(p => p.Key.ToString(), StringComparer.Ordinal).Take(MaxRowsShown))
        {
            output.WriteLine(string.Create(c, $"  {address,-39} {count,9}"));
        }

        More(report.Offences.Count, output);
        output.WriteLine(string.Create(c, $"Would ban:  {report.WouldBan.Count} addresses"));
        foreach (var (address, at) in report.WouldBan.Take(MaxRowsShown))
        {
            output.WriteLine(string.Create(c, $"  {address,-39} at {at:yyyy-MM-dd HH:mm:ss zzz}"));
        }

        More(report.WouldBan.Count, output);
        output.WriteLine(string.Create(c, $"Time:       {report.Elapsed.TotalSeconds:0.000} s, {report.LinesPerSecond:0} lines/s"));
        if (showMissed)
        {
            output.WriteLine(string.Create(c, $"Missed lines that look like failures ({report.MissedRelevant.Count}{(report.MissedRelevant.Count >= FilterRun.MaxMissedShown ? ", first ones only" : "")}):"));
            foreach (var line in report.MissedRelevant)
            {
                output.WriteLine("  " + line);
            }
        }
    }

    private static void More(int total, TextWriter output)
    {
        if (total > MaxRowsShown)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  … and {total - MaxRowsShown} more"));
        }
    }
}
