using System.Diagnostics;
using Tarpit.SystemTests.Infrastructure;
using Tarpit.Tarpits.Events;

namespace Tarpit.SystemTests.Tarpits.Ssh;

/// <summary>
/// Issue 16 item 5: "time trapped" ends when the client left, not at the next drip. A real OpenSSH client is killed
/// 3 s into a 10 s drip interval; the Closed event (the "Released ... after N ms" line) says it was held about 3 s.
/// </summary>
public sealed class SshAccountingSystemTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan LeaveAfter = TimeSpan.FromSeconds(3);

    /// <summary>The accounting promised: to the client's leaving, within this.</summary>
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(1);

    [SystemFact(false, "ssh")]
    public Task Endless_banner_releases_OpenSSH_killed_3s_into_a_10s_interval_at_about_3s() => KilledAfter3sAsync("endless-banner");

    [SystemFact(false, "ssh")]
    public Task Kex_hold_releases_OpenSSH_killed_3s_into_a_10s_interval_at_about_3s() => KilledAfter3sAsync("kex-hold");

    private static async Task KilledAfter3sAsync(string mode)
    {
        Prerequisites.Require(false, "ssh");
        await using var tarpit = await SshTarpitUnderTest.StartAsync(SshTarpitUnderTest.Config(mode, verifyClient: false, Interval, jitter: 0));

        var (killed, output) = await ExternalTool.RunAsync("ssh", ExternalTool.SshArguments(tarpit.Port), LeaveAfter);
        var left = DateTimeOffset.UtcNow; // ssh is killed and reaped: its socket is closed
        var closed = await ClosedAsync(tarpit, TimeSpan.FromSeconds(30));

        Assert.True(killed, "ssh exited on its own:\n" + output);
        Assert.NotNull(closed);
        Assert.InRange(closed.Timestamp, left - Tolerance, left + Tolerance);
        Assert.InRange(closed.Duration, LeaveAfter - (2 * Tolerance), LeaveAfter + Tolerance); // less ssh's start-up
        Assert.True(closed.Duration < Interval - Tolerance, $"held {closed.Duration}: released at the next drip, not when ssh left");
    }

    /// <summary>The first Closed event, waited for (bounded, real time); null when none came.</summary>
    private static async Task<ConnectionEvent?> ClosedAsync(SshTarpitUnderTest tarpit, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (tarpit.OfKind(ConnectionEventKind.Closed) is [var closed, ..])
            {
                return closed;
            }

            await Task.Delay(50);
        }

        return null;
    }
}
