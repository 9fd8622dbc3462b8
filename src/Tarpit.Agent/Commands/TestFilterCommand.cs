using System.CommandLine;
using CliWrap;
using Tarpit.Config;
using Tarpit.Detection;
using Tarpit.Detection.Filters;
using Command = System.CommandLine.Command;

namespace Tarpit.Agent.Commands;

/// <summary>
/// <c>tarpit-agent test-filter FILTER (LOGFILE | --journal UNIT) [--mode M] [--config FILE] [--print WHAT]</c>: like
/// <c>fail2ban-regex</c>, runs a filter over a log and reports what it matched (per message class), who offended,
/// who the window would ban, and how fast; <c>--print</c> shows the lines themselves with the address charged and why.
/// Exit: 0 when a line matched, <see cref="ExitCodes.NoMatch"/> when none did, else the code of what stopped it.
/// </summary>
internal static partial class TestFilterCommand
{
    /// <summary>fail2ban's defaults, used when no config names a window for the filter.</summary>
    public const int DefaultMaxRetry = 5;

    public static readonly TimeSpan DefaultFindTime = TimeSpan.FromMinutes(10);

    /// <summary>Rows shown per list (addresses, bans); the rest is summarised.</summary>
    public const int MaxRowsShown = 20;

    /// <summary>What <c>--help</c> says a filter file may hold: exactly the part of fail2ban's syntax that is read.</summary>
    public const string FilterSyntax =
        "A filter file is read as fail2ban's filter.d/*.conf syntax, this subset only: an INI file whose [Definition] section "
        + "holds failregex and ignoreregex (one pattern per line, continued on indented lines; [Init] is ignored). Each failregex "
        + "has <HOST> exactly once (an IPv4 or IPv6 address, never a host name); patterns are .NET regular expressions (Python's "
        + "(?P<name>…) groups are not), matched against the message after the syslog prefix, so they are written without "
        + "%(__prefix_line)s. Not read, and reported with their position: [INCLUDES], other sections, other keys (prefregex, "
        + "datepattern, maxlines, journalmatch, mode), %(name)s interpolation. fail2ban's <F-USER>/<F-NOFAIL> tags are not "
        + "supported. The built-in sshd filter is fail2ban's filter.d/sshd.conf (modes normal, ddos, extra, aggressive) "
        + "re-implemented without regular expressions, with publickey = nofail.";

    public static Command Create()
    {
        var filter = new Argument<string>("FILTER") { Description = "sshd, http-probe, or a fail2ban-style filter file (see below)" };
        var logFile = new Argument<string?>("LOGFILE") { Description = "The log to judge (or give --journal UNIT)", Arity = ArgumentArity.ZeroOrOne };
        var journal = new Option<string?>("--journal", "-j") { Description = "Judge the journal of this systemd unit (journalctl -o json -u UNIT) instead of a file" };
        var mode = new Option<string?>("--mode", "-m") { Description = $"Filter mode: {string.Join(", ", FilterNames.Modes)} (default: the [[watch]]'s, else {FilterNames.NormalMode})" };
        mode.AcceptOnlyFromAmong([.. FilterNames.Modes]);
        var config = ConfigOption.Create();
        config.Description = "Path to tarpit.toml: max_retry/find_time/mode from its first [[watch]] using FILTER (when the default path does not exist: 5 within 10m)";
        var print = new Option<string?>("--print", "-p") { Description = "Print each judged line of a kind, with the address charged and why: matched, missed, ignored or all" };
        print.AcceptOnlyFromAmong("matched", "missed", "ignored", "all");
        var showMissed = new Option<bool>("--show-missed") { Description = "Print unmatched lines that look like failures (escaped)" };
        var command = new Command("test-filter", "Run a filter over a log file or a unit's journal and report matches per message class, offenders, would-be bans and speed (like fail2ban-regex). " + FilterSyntax + " Exit codes: 0 a line matched, " + ExitCodes.NoMatch + " none did, 2 usage, 66 log or journal unreadable, 78 invalid config or filter file.")
        {
            filter, logFile, journal, mode, config, print, showMissed,
        };
        CliBoundary.SetAction(command, async (parseResult, cancellationToken) => await TestAsync(
            new TestFilterRequest(
                parseResult.GetValue(filter)!,
                parseResult.GetValue(logFile),
                parseResult.GetValue(journal),
                parseResult.GetValue(config),
                parseResult.GetResult(config) is { Implicit: false },
                parseResult.GetValue(mode),
                ParsePrint(parseResult.GetValue(print)),
                parseResult.GetValue(showMissed)),
            parseResult.InvocationConfiguration.Output,
            cancellationToken));
        return command;
    }

    /// <summary>Runs the filter through the boundary: 0, <see cref="ExitCodes.NoMatch"/>, or the code of what stopped it.</summary>
    public static int Run(TestFilterRequest request, TextWriter output, TextWriter error) =>
        CliBoundary.RunAsync("test-filter", error, ct => TestAsync(request, output, ct), CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>The old positional form: a file, the config given explicitly when not null.</summary>
    public static int Run(string filterName, string logPath, string? configPath, bool showMissed, TextWriter output, TextWriter error) =>
        Run(new TestFilterRequest(filterName, logPath, ConfigPath: configPath, ConfigGiven: configPath is not null, ShowMissed: showMissed), output, error);

    private static async Task<int> TestAsync(TestFilterRequest request, TextWriter output, CancellationToken cancellationToken)
    {
        if ((request.LogPath is null) == (request.JournalUnit is null))
        {
            throw new OperatorException("give exactly one of LOGFILE and --journal UNIT", ExitCodes.Usage);
        }

        if (request.Mode is { } asked && !FilterNames.Modes.Contains(asked))
        {
            throw new OperatorException($"unknown mode '{asked}'; allowed: {string.Join(", ", FilterNames.Modes)}", ExitCodes.Usage);
        }

        var config = request.ConfigPath is { } path && (request.ConfigGiven || File.Exists(path)) ? ConfigLoader.Load(path) : null;
        var watch = config?.Watches.FirstOrDefault(w => SameFilter(w.Filter, request.Filter, config));
        if (!FilterNames.BuiltIn.Contains(request.Filter) && !File.Exists(request.Filter))
        {
            throw new OperatorException(
                $"unknown filter '{request.Filter}': not a built-in filter ({string.Join(", ", FilterNames.BuiltIn)}) and no such file",
                ExitCodes.Usage);
        }

        var mode = request.Mode ?? watch?.Mode ?? FilterNames.NormalMode;
        var filter = FilterCatalog.Create(request.Filter, mode, Environment.CurrentDirectory);
        var window = new TestFilterWindow(watch?.MaxRetry ?? DefaultMaxRetry, watch?.FindTime ?? DefaultFindTime, watch, mode);
        var printer = request.Print == TestFilterPrint.None ? null : new TestFilterLinePrinter(request.Print, output);
        var report = request.JournalUnit is { } unit
            ? await RunJournalAsync(request, unit, filter, window, printer, cancellationToken)
            : RunFile(request.LogPath!, filter, window, request.ShowMissed, printer);
        Print(report, filter, request.LogPath ?? "journal:" + request.JournalUnit, window, request.ShowMissed, output);
        return report.Matched > 0 ? ExitCodes.Ok : ExitCodes.NoMatch;
    }

    private static FilterRunReport RunFile(string logPath, ILogFilter filter, TestFilterWindow window, bool showMissed, TestFilterLinePrinter? printer)
    {
        FileStream log;
        try
        {
            log = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OperatorException($"cannot read log file '{logPath}': {ex.Message}", ex, ExitCodes.NoInput);
        }

        using (log)
        {
            return FilterRun.Run(filter, log, window.MaxRetry, window.FindTime, showMissed, TimeProvider.System, printer is null ? null : printer.OnLine);
        }
    }

    private static async Task<FilterRunReport> RunJournalAsync(TestFilterRequest request, string unit, ILogFilter filter, TestFilterWindow window, TestFilterLinePrinter? printer, CancellationToken cancellationToken)
    {
        FilterRunReport? report = null;
        CommandResult result;
        try
        {
            result = await Cli.Wrap(request.Journalctl)
                .WithArguments(["-o", "json", "--no-pager", "-u", unit])
                .WithStandardOutputPipe(PipeTarget.Create((stream, _) =>
                {
                    report = FilterRun.RunJournal(filter, stream, window.MaxRetry, window.FindTime, request.ShowMissed, TimeProvider.System, printer is null ? null : printer.OnLine);
                    return Task.CompletedTask;
                }))
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new OperatorException($"cannot run '{request.Journalctl}' to read the journal of {unit}: {ex.Message}", ex, ExitCodes.NoInput);
        }

        if (result.ExitCode != 0 || report is null)
        {
            throw new OperatorException($"'{request.Journalctl} -o json -u {unit}' exited with code {result.ExitCode}; is the journal readable (root, or the systemd-journal group)?", ExitCodes.NoInput);
        }

        return report;
    }

    private static TestFilterPrint ParsePrint(string? value) => value switch
    {
        "matched" => TestFilterPrint.Matched,
        "missed" => TestFilterPrint.Missed,
        "ignored" => TestFilterPrint.Ignored,
        "all" => TestFilterPrint.All,
        _ => TestFilterPrint.None,
    };

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
