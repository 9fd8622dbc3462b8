using Serilog;
using Tarpit.Agent.Hosting;
using Tarpit.Tests.Tarpits;

namespace Tarpit.Tests.Hosting;

public sealed class LazySinkTests
{
    [Fact]
    public void The_inner_logger_is_built_on_the_first_event_only_and_receives_every_event()
    {
        var collected = new CollectingLogSink();
        var built = 0;
        var sink = new LazySink(() =>
        {
            built++;
            return new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(collected).CreateLogger();
        });

        using (var log = new LoggerConfiguration().MinimumLevel.Warning().WriteTo.Sink(sink).CreateLogger())
        {
            log.Information("Below the level: never reaches the sink");
            Assert.Equal(0, built);

            log.Warning("First {Count}", 1);
            log.Error("Second {Count}", 2);
        }

        Assert.Equal(1, built);
        Assert.Equal(["First 1", "Second 2"], collected.Events.Select(e => e.RenderMessage()));
    }

    [Fact]
    public void A_sink_that_never_received_an_event_never_builds_its_logger()
    {
        var built = 0;
        var sink = new LazySink(() =>
        {
            built++;
            return new LoggerConfiguration().CreateLogger();
        });

        sink.Dispose();

        Assert.Equal(0, built);
    }
}
