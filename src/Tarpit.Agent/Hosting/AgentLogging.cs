using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Tarpit.Config;
using Tarpit.Store;

namespace Tarpit.Agent.Hosting;

/// <summary>Serilog for the daemon: a console for people, JSON lines (one event per line) for machines.</summary>
internal static class AgentLogging
{
    private const string ConsoleTemplate = "{Timestamp:HH:mm:ss.fff} {Level:u3} {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// How often the buffered event file is written out and synced. Buffering saves a write per event (a burst of
    /// bans logs two per ban); disposing the logger at exit (<c>run</c>'s <c>await using</c>) writes the rest, and the
    /// console (journald) is written line by line, so a crash loses at most this much of the file and, of the
    /// journal, only the events still queued for the writer thread (see <see cref="QueuedEvents"/>).
    /// </summary>
    public static readonly TimeSpan FileFlushInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The daemon's events are written by one background thread (Serilog.Sinks.Async): the thread that bans no longer
    /// waits for a console write(2) and a JSON line per event, which were a tenth of a 10,000-offender burst's CPU
    /// (perf). The queue holds this many events; when it is full, logging waits for room (nothing is dropped).
    /// </summary>
    public const int QueuedEvents = 10_000;

    /// <summary>Before the config is read: console only, so config errors and crashes still reach the operator.</summary>
    public static Logger CreateBootstrap() => new LoggerConfiguration()
        .MinimumLevel.Information()
        .WriteTo.Console(outputTemplate: ConsoleTemplate, standardErrorFromLevel: LogEventLevel.Warning)
        .CreateLogger();

    public static Logger Create(AgentConfig agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        string? tightened = null;
        var logFile = agent.LogFile is { Length: > 0 } file ? file : null;
        if (logFile is not null && !OperatingSystem.IsWindows())
        {
            // The events name the addresses and what they typed: private like the state dir (see PrivateFiles). The
            // file is created 0600 here because Serilog creates it with the umask's mode; rolled files take the umask,
            // which the unit (UMask=0077) and Program (ProcessUmask) make 077.
            PrivateFiles.CreateDirectory(Path.GetDirectoryName(logFile)!);
            PrivateFiles.CreateFile(logFile);
            tightened = PrivateFiles.TightenOne(logFile);
        }

        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(agent.LogLevel)
            .Enrich.FromLogContext()
            .WriteTo.Async(
                sinks =>
                {
                    sinks.Console(outputTemplate: ConsoleTemplate, standardErrorFromLevel: LogEventLevel.Warning);
                    if (logFile is not null)
                    {
                        sinks.File(
                            new CompactJsonFormatter(),
                            logFile,
                            fileSizeLimitBytes: 256L * 1024 * 1024,
                            rollOnFileSizeLimit: true,
                            retainedFileCountLimit: 8,
                            buffered: true,
                            flushToDiskInterval: FileFlushInterval);
                    }
                },
                bufferSize: QueuedEvents,
                blockWhenFull: true)
            .CreateLogger();
        if (tightened is not null)
        {
            HostingLog.EventFileTightened(logger, tightened);
        }

        return logger;
    }
}
