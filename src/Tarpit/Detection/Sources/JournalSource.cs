using System.Globalization;
using System.Threading.Channels;
using CliWrap;
using Serilog;
using Tarpit.Detection.Filters;

namespace Tarpit.Detection.Sources;

/// <summary>
/// Streams a unit's journal: <c>journalctl -f -o json -u UNIT --since @EPOCH</c> through CliWrap, starting
/// <c>find_time</c> back so a restart does not forget attackers in flight. If journalctl exits it is restarted with
/// exponential backoff, continuing after the last entry seen (<c>--after-cursor</c>) so nothing is judged twice.
/// An entry that was cut (its JSON longer than <see cref="MaxEntryBytes"/>, or <see cref="JournalEntry.IsCut"/>) is
/// counted and never judged, as a log file's long lines are.
/// </summary>
internal sealed class JournalSource(string unit, TimeSpan readBack, TimeProvider time, ILogger log, string journalctl = "journalctl") : ILogSource
{
    /// <summary>A journal entry's JSON: journald's <c>LineMax</c> (48 KiB) of message plus its metadata fields.</summary>
    public const int MaxEntryBytes = 64 * 1024;

    /// <summary>A watch that has read no entry this long after start asks the journal once whether the unit ever logged.</summary>
    public static readonly TimeSpan NoEntryCheckDelay = TimeSpan.FromSeconds(10);

    /// <summary>The bound on that one question (<c>journalctl -u UNIT -n 1</c>).</summary>
    public static readonly TimeSpan NoEntryCheckTimeout = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);

    private readonly CutLineCounter _cut = new("journal:" + unit, JournalEntry.MaxMessageBytes, log, time);
    private string? _cursor;

    public string Description => "journal:" + unit;

    /// <summary>Called for every cut line (the daemon's metrics); set before <see cref="RunAsync"/>.</summary>
    public Action? OnCut
    {
        get => _cut.OnCut;
        init => _cut.OnCut = value;
    }

    public long CutLines => _cut.Count;

    public WatchHealth Health { get; } = new(time);

    public async Task RunAsync(ChannelWriter<LogLine> lines, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - readBack;
        var backoff = FirstBackoff;
        var noEntryCheck = CheckUnitLoggedAsync(cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = time.GetUtcNow();
            try
            {
                Health.SetRunning();
                var result = await Cli.Wrap(journalctl)
                    .WithArguments(Arguments(since))
                    .WithStandardOutputPipe(PipeTarget.Create((stream, ct) => ReadAsync(stream, lines, ct)))
                    .WithValidation(CommandResultValidation.None)
                    .ExecuteAsync(cancellationToken);
                SourcesLog.JournalctlExited(log, unit, result.ExitCode, backoff.TotalSeconds);
                Problem($"journalctl exited with code {result.ExitCode} (restarted with backoff)");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await noEntryCheck;
                return;
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
            {
                SourcesLog.JournalctlNotRun(log, ex, journalctl, unit, backoff.TotalSeconds);
                Problem($"could not run {journalctl}: {ex.Message}");
            }

            backoff = time.GetUtcNow() - started > MaxBackoff ? FirstBackoff : backoff;
            await Task.Delay(backoff, time, cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    private void Problem(string problem)
    {
        if (Health.SetProblem(problem))
        {
            SourcesLog.WatchProblem(log, Description, problem);
        }
    }

    /// <summary>
    /// A wrong <c>journal_unit</c> looks like a quiet one to <c>journalctl -f</c>. When no entry came within
    /// <see cref="NoEntryCheckDelay"/>, asks once (bounded) whether the unit has any entry at all; none is a problem
    /// until the first entry arrives. Catches everything itself: it only ever adds a warning.
    /// </summary>
    private async Task CheckUnitLoggedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(NoEntryCheckDelay, time, cancellationToken);
            if (Health.Lines > 0 || Health.Problem is not null)
            {
                return;
            }

            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(NoEntryCheckTimeout);
            var output = new System.Text.StringBuilder();
            var result = await Cli.Wrap(journalctl)
                .WithArguments(["-u", unit, "-n", "1", "-o", "cat", "-q", "--no-pager"])
                .WithStandardOutputPipe(PipeTarget.ToStringBuilder(output))
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(bounded.Token);
            if (result.ExitCode == 0 && output.Length == 0 && Health.Lines == 0)
            {
                Health.SetProblem($"the journal has no entry for unit {unit} at all: is journal_unit right? (systemctl list-units, journalctl -u {unit})", found: true);
                SourcesLog.WatchProblem(log, Description, Health.Problem!);
            }
        }
        catch (Exception)
        {
            // Cancelled, timed out, or journalctl missing (the main loop says so): nothing to add.
        }
    }

    /// <summary>The command line: after the last cursor once one is known, else since the read-back start.</summary>
    public IReadOnlyList<string> Arguments(DateTimeOffset since) =>
        _cursor is { } cursor
            ? ["-f", "-o", "json", "-u", unit, "--after-cursor", cursor]
            : ["-f", "-o", "json", "-u", unit, "--since", "@" + since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)];

    private async Task ReadAsync(Stream stream, ChannelWriter<LogLine> lines, CancellationToken cancellationToken)
    {
        var splitter = new LineSplitter(MaxEntryBytes);
        var buffer = new byte[LogFileTail.ReadBufferBytes];
        var entries = new List<JournalEntry>();
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            splitter.Push(buffer.AsSpan(0, read), json =>
            {
                if (JournalEntry.TryParse(json, out var entry) && entry is not null)
                {
                    entries.Add(entry);
                }
            }, _cut.Record);

            var readAt = time.GetUtcNow();
            foreach (var entry in entries)
            {
                if (entry.IsCut)
                {
                    _cut.Record(entry.Message);
                }
                else
                {
                    await lines.WriteAsync(new LogLine(entry.Message, readAt, entry.Timestamp, entry.Program, entry.Pid), cancellationToken);
                }

                _cursor = entry.Cursor ?? _cursor;
            }

            Health.Read(entries.Count, readAt);
            if (entries.Count > 0 && Health.Problem is not null && Health.SetFound() is { } ended)
            {
                SourcesLog.WatchRecovered(log, Description, ended);
            }

            entries.Clear();
        }
    }
}
