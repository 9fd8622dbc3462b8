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

    public async Task RunAsync(ChannelWriter<LogLine> lines, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - readBack;
        var backoff = FirstBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = time.GetUtcNow();
            try
            {
                var result = await Cli.Wrap(journalctl)
                    .WithArguments(Arguments(since))
                    .WithStandardOutputPipe(PipeTarget.Create((stream, ct) => ReadAsync(stream, lines, ct)))
                    .WithValidation(CommandResultValidation.None)
                    .ExecuteAsync(cancellationToken);
                SourcesLog.JournalctlExited(log, unit, result.ExitCode, backoff.TotalSeconds);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
            {
                SourcesLog.JournalctlNotRun(log, ex, journalctl, unit, backoff.TotalSeconds);
            }

            backoff = time.GetUtcNow() - started > MaxBackoff ? FirstBackoff : backoff;
            await Task.Delay(backoff, time, cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
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

            entries.Clear();
        }
    }
}
