using System.Collections.Concurrent;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace Tarpit.Tests.Tarpits;

/// <summary>Serilog's CollectingSink pattern: keeps every log event; <see cref="CreateLogger"/> wires it at Verbose.</summary>
internal sealed class CollectingLogSink : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public ILogger CreateLogger() => new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(this).CreateLogger();

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <summary>Messages of one level as an operator's console shows them (<c>{Message:lj}</c>: strings unquoted).</summary>
    public IReadOnlyList<string> Rendered(LogEventLevel level) =>
        [.. _events.Where(e => e.Level == level).Select(Literal)];

    private static string Literal(LogEvent logEvent)
    {
        var formatter = new MessageTemplateTextFormatter("{Message:lj}", System.Globalization.CultureInfo.InvariantCulture);
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        formatter.Format(logEvent, writer);
        return writer.ToString();
    }
}
