using Serilog.Events;
using Tarpit.Agent.Hosting;
using Tarpit.Config;
using Tarpit.Tests.Store;

namespace Tarpit.Tests.Hosting;

public sealed class AgentLoggingTests
{
    [Fact]
    public void Every_event_of_a_burst_is_in_the_buffered_event_file_once_the_logger_is_disposed_at_shutdown()
    {
        using var dir = new TempStateDir();
        var logFile = Path.Combine(dir.Path, "events.jsonl");
        const int Events = 500;

        using (var log = AgentLogging.Create(new AgentConfig(dir.Path, logFile, LogEventLevel.Warning)))
        {
            for (var i = 0; i < Events; i++)
            {
                log.Warning("Refused to ban {RemoteIP}: burst event {Count}", "192.0.2.1", i);
            }
        }

        var lines = File.ReadAllLines(logFile);
        Assert.Equal(Events, lines.Length);
        Assert.Contains("burst event {Count}", lines[^1], StringComparison.Ordinal);
        Assert.Contains("\"Count\":499", lines[^1], StringComparison.Ordinal);
    }
}
