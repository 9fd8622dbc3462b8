using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Tarpit.Config;

namespace Tarpit.Agent.Hosting;

/// <summary>Serilog for the daemon: a console for people, JSON lines (one event per line) for machines.</summary>
internal static class AgentLogging
{
    private const string ConsoleTemplate = "{Timestamp:HH:mm:ss.fff} {Level:u3} {Message:lj}{NewLine}{Exception}";

    /// <summary>Before the config is read: console only, so config errors and crashes still reach the operator.</summary>
    public static Logger CreateBootstrap() => new LoggerConfiguration()
        .MinimumLevel.Information()
        .WriteTo.Console(outputTemplate: ConsoleTemplate, standardErrorFromLevel: LogEventLevel.Warning)
        .CreateLogger();

    public static Logger Create(AgentConfig agent)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(agent.LogLevel)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: ConsoleTemplate, standardErrorFromLevel: LogEventLevel.Warning);
        if (agent.LogFile is { Length: > 0 } logFile)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
            configuration = configuration.WriteTo.File(
                new CompactJsonFormatter(),
                logFile,
                fileSizeLimitBytes: 256L * 1024 * 1024,
                rollOnFileSizeLimit: true,
                retainedFileCountLimit: 8,
                flushToDiskInterval: TimeSpan.FromSeconds(1));
        }

        return configuration.CreateLogger();
    }
}
