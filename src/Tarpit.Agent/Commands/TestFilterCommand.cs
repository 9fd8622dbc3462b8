using System.CommandLine;
using System.Globalization;
using Tarpit.Config;
using Tarpit.Detection;
using Tarpit.Detection.Filters;
using Tarpit.Detection.Sources;

namespace Tarpit.Agent.Commands;

/// <summary>
/// <c>tarpit-agent test-filter FILTER LOGFILE [--config FILE] [--show-missed]</c>: like <c>fail2ban-regex</c>, runs a
/// filter over a log and reports what it matched, who offended and who the window would ban, and how fast.
/// </summary>
internal static class TestFilterCommand
{
    /// <summary>fail2ban's defaults, used when no config names a window for the filter.</summary>
    public const int DefaultMaxRetry = 5;

    public static readonly TimeSpan DefaultFindTime = TimeSpan.FromMinutes(10);

    /// <summary>Rows shown per list (addresses, bans); the rest is summarised.</summary>
    public const int MaxRowsShown = 20;

    public static Command Create()
    {
        var filter = new Argument<string>("FILTER") { Description = "sshd, http-probe, or a fail2ban-style filter file" };
        var logFile = new Argument<string>("LOGFILE") { Description = "The log to judge" };
        var config = new Option<string?>("--config", "-c") { Description = "Take max_retry/find_time/mode from the first [[watch]] using FILTER (default: 5 within 10m)" };
        var showMissed = new Option<bool>("--show-missed") { Description = "Print unmatched lines that look like failures (escaped)" };
        var command = new Command("test-filter", "Run a filter over a log file and report matches, offenders, would-be bans and speed (like fail2ban-regex)")
        {
            filter, logFile, config, showMissed,
        };
        CliBoundary.SetAction(command, (parseResult, _) => Task.FromResult(Test(
            parseResult.GetValue(filter)!,
            parseResult.GetValue(logFile)!,
            parseResult.GetValue(config),
            parseResult.GetValue(showMissed),
            parseResult.InvocationConfiguration.Output)));
        return command;
    }

    /// <summary>Runs the filter through the boundary: 0, or the code of what stopped it (usage, no input, config).</summary>
    public static int Run(string filterName, string logPath, string? configPath, bool showMissed, TextWriter output, TextWriter error) =>
        CliBoundary.Run("test-filter", error, () => Test(filterName, logPath, configPath, showMissed, output));

    private static int Test(string filterName, string logPath, string? configPath, bool showMissed, TextWriter output)
    {
        var config = configPath is null ? null : ConfigLoader.Load(configPath);
        var watch = config?.Watches.FirstOrDefault(w => SameFilter(w.Filter, filterName, config));
        if (!FilterNames.BuiltIn.Contains(filterName) && !File.Exists(filterName))
        {
            throw new OperatorException(
                $"unknown filter '{filterName}': not a built-in filter ({string.Join(", ", FilterNames.BuiltIn)}) and no such file",
                ExitCodes.Usage);
        }

        var filter = FilterCatalog.Create(filterName, watch?.Mode, Environment.CurrentDirectory);
        FileStream log;
        try
        {
            log = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OperatorException($"cannot read log file '{logPath}': {ex.Message}", ex, ExitCodes.NoInput);
        }

        var maxRetry = watch?.MaxRetry ?? DefaultMaxRetry;
        var findTime = watch?.FindTime ?? DefaultFindTime;
        FilterRunReport report;
        using (log)
        {
            report = FilterRun.Run(filter, log, maxRetry, findTime, showMissed, TimeProvider.System);
        }

        Print(report, filter, logPath, watch, maxRetry, findTime, showMissed, output);
        return ExitCodes.Ok;
    }

    private static void Print(FilterRunReport report, ILogFilter filter, string logPath, WatchConfig? watch, int maxRetry, TimeSpan findTime, bool showMissed, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"Filter:     {filter.Name} ({watch?.Mode ?? FilterNames.NormalMode} mode)"));
        output.WriteLine(string.Create(c, $"Log:        {logPath}"));
        output.WriteLine(string.Create(c, $"Window:     {maxRetry} offences within {DurationSyntax.Format(findTime)} ({(watch is null ? "defaults" : "from [[watch]] " + watch.Name)})"));
        output.WriteLine(string.Create(c, $"Lines:      {report.Lines} read, {report.Matched} matched, {report.Ignored} ignored, {report.Missed} missed, {report.CutLines} cut (longer than {LineSplitter.DefaultMaxLineBytes} bytes, not judged)"));
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

    private static bool SameFilter(string configured, string asked, ConfigFile config)
    {
        if (configured == asked)
        {
            return true;
        }

        var configDirectory = Path.GetDirectoryName(Path.GetFullPath(config.SourcePath)) ?? ".";
        return !FilterNames.BuiltIn.Contains(configured) && !FilterNames.BuiltIn.Contains(asked)
            && Path.GetFullPath(configured, configDirectory) == Path.GetFullPath(asked);
    }
}
