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

    /// <summary>Before the config is read: console only, so config errors and crashes still reach the operator.</summary>
    /// <summary>
    /// How often the buffered event file is written out and synced. Buffering saves a write per event (a burst of
    /// bans logs two per ban); disposing the logger at exit (<c>run</c>'s <c>await using</c>) writes the rest, and the
    /// console (journald) is unbuffered, so a crash loses at most this much of the file, never of the journal.
    /// </summary>
    public static readonly TimeSpan FileFlushInterval = TimeSpan.FromSeconds(1);

    public static Logger CreateBootstrap() => new LoggerConfiguration()
        .MinimumLevel.Information()
        .WriteTo.Console(outputTemplate: ConsoleTemplate, standardErrorFromLevel: LogEventLevel.Warning)
        .CreateLogger();

    public static Logger Create(AgentConfig agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        string? tightened = null;
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(agent.LogLevel)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: ConsoleTemplate, standardErrorFromLevel: LogEventLevel.Warning);
        if (agent.LogFile is { Length: > 0 } logFile)
        {
            // The events name the addresses and what they typed: private like the state dir (see PrivateFiles). The
            // file is created 0600 here because Serilog creates it with the umask's mode; rolled files take the umask,
            // which the unit (UMask=0077) and Program (ProcessUmask) make 077.
            if (!OperatingSystem.IsWindows())
            {
                PrivateFiles.CreateDirectory(Path.GetDirectoryName(logFile)!);
                PrivateFiles.CreateFile(logFile);
                tightened = PrivateFiles.TightenOne(logFile);
            }

            configuration = configuration.WriteTo.File(
                new CompactJsonFormatter(),
                logFile,
                fileSizeLimitBytes: 256L * 1024 * 1024,
                rollOnFileSizeLimit: true,
                retainedFileCountLimit: 8,
                buffered: true,
                flushToDiskInterval: FileFlushInterval);
        }

        var logger = configuration.CreateLogger();
        if (tightened is not null)
        {
            HostingLog.EventFileTightened(logger, tightened);
        }

        return logger;
    }
}
