using Microsoft.Extensions.Time.Testing;
using Serilog.Events;
using Tarpit.Detection.Sources;
using Tarpit.Tests.Tarpits;

namespace Tarpit.Tests.Detection;

public sealed class CutLineCounterTests
{
    [Fact]
    public void Cut_lines_are_counted_and_warned_about_at_most_once_a_minute_with_an_escaped_truncated_sample()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        var sink = new CollectingLogSink();
        var counter = new CutLineCounter("/var/log/app.log", 16384, sink.CreateLogger(), time);

        counter.Record("\u001b[2J" + new string('x', 20_000));
        counter.Record(new string('y', 20_000));
        time.Advance(CutLineCounter.WarningInterval - TimeSpan.FromSeconds(1));
        counter.Record("z"u8);
        time.Advance(TimeSpan.FromSeconds(1));
        counter.Record("w"u8);

        var warnings = sink.Rendered(LogEventLevel.Warning);
        Assert.Equal(4, counter.Count);
        Assert.Equal(2, warnings.Count);
        Assert.StartsWith("1 lines longer than 16384 bytes in /var/log/app.log were cut and not judged (1 in all)", warnings[0], StringComparison.Ordinal);
        Assert.EndsWith(@"\x1b[2J" + new string('x', CutLineCounter.MaxSampleLength - 7) + "…", warnings[0], StringComparison.Ordinal);
        Assert.StartsWith("3 lines longer than 16384 bytes in /var/log/app.log were cut and not judged (4 in all)", warnings[1], StringComparison.Ordinal);
        Assert.EndsWith("began: w", warnings[1], StringComparison.Ordinal);
    }
}
