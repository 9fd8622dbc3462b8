using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.Operations;

/// <summary>
/// <c>sessions --watch</c> ends on Ctrl-C (SIGINT) or SIGTERM with 0, as its help says, in the real agent process: the
/// signal cancels the verb's token and the verb returns; nothing forces 130/143 while it winds down (a CI run once
/// saw 130 here, from System.CommandLine's own 2-second forced exit, which the agent no longer uses).
/// </summary>
public sealed class SessionsWatchSignalTests
{
    [SystemFact(false)]
    public async Task Watch_ends_with_0_on_the_first_SIGINT_or_SIGTERM()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var ct = cts.Token;
        var directory = Directory.CreateTempSubdirectory("tarpit-watch-signal-").FullName;
        try
        {
            var config = Path.Combine(directory, "tarpit.toml");
            await File.WriteAllTextAsync(config, $"[agent]\nstate_dir = \"{Path.Combine(directory, "state")}\"\n", ct);
            foreach (var signal in new[] { "INT", "TERM", "INT", "TERM" })
            {
                await using var watching = AgentProcess.Start(["sessions", "--watch", "--interval", "1s", "--config", config]);
                await watching.WaitForLineAsync("tarpit-agent is not running", TimeSpan.FromSeconds(30), ct);
                Assert.Equal(0, await HeldClient.SignalAsync(watching, signal, ct));
                Assert.DoesNotContain("interrupted", watching.Output, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
