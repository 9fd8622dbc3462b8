using System.Collections.Concurrent;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Tarpit.Tests.Geo;

/// <summary>Keeps every log event, as Serilog's own tests do, so a test can assert on warnings.</summary>
internal sealed class CollectingSink : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public IEnumerable<string> Warnings => Events
        .Where(e => e.Level == LogEventLevel.Warning)
        .Select(e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture));

    public ILogger CreateLogger() => new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(this).CreateLogger();

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
}
