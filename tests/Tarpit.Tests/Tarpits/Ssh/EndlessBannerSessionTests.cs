using Tarpit.Tarpits;
using Tarpit.Tarpits.Ssh;

namespace Tarpit.Tests.Tarpits.Ssh;

public sealed class EndlessBannerSessionTests
{
    [Fact]
    public void The_first_line_comes_after_one_interval_then_each_step_sends_one_short_line()
    {
        var config = SshTestConfig.Create("endless-banner");
        var session = SshSessionTesting.Open(config);
        var harness = new SessionHarness();
        var delays = new HashSet<TimeSpan>();

        var (silence, nothing) = harness.Step(session);
        Assert.Empty(nothing);
        Assert.Equal(SessionStepKind.After, silence.Kind);
        SshSessionTesting.AssertWithinJitter(silence.Delay, config.Interval, config.Jitter);

        for (var i = 0; i < 500; i++)
        {
            var (step, written) = harness.Step(session);

            SshSessionTesting.AssertPreambleLine(written);
            Assert.Equal(SessionStepKind.After, step.Kind);
            SshSessionTesting.AssertWithinJitter(step.Delay, config.Interval, config.Jitter);
            delays.Add(step.Delay);
        }

        Assert.True(delays.Count > 400, "delays should vary, not repeat one fixed value");
    }

    [Fact]
    public void A_line_the_kernel_took_only_in_part_is_finished_before_the_next_line()
    {
        var session = SshSessionTesting.Open(SshTestConfig.Create("endless-banner"));
        var harness = new SessionHarness();
        var (_, first) = harness.Step(session);
        while (first.Length < 10)
        {
            (_, first) = harness.Step(session);
        }

        harness.NextLastSent = 4;
        var (_, tail) = harness.Step(session);
        harness.NextLastSent = 0;
        var (_, stalled) = harness.Step(session);
        var (_, next) = harness.Step(session);

        Assert.Equal(first[4..], tail);
        Assert.Equal(tail, stalled);
        SshSessionTesting.AssertPreambleLine(next);
        Assert.NotEqual(first, next);
    }

    [Fact]
    public void Connections_get_different_lines()
    {
        var config = SshTestConfig.Create("endless-banner");
        var mode = SshModes.Create(config);
        var a = SshSessionTesting.Open(config, connectionId: 1);
        var b = SshSessionTesting.Open(config, connectionId: 2);

        var harnessA = new SessionHarness { ConnectionId = 1 };
        var harnessB = new SessionHarness { ConnectionId = 2 };
        harnessA.Step(a);
        harnessB.Step(b);
        var (_, lineA) = harnessA.Step(a);
        var (_, lineB) = harnessB.Step(b);

        Assert.Equal("endless-banner", mode.Name);
        Assert.NotEqual(lineA, lineB);
    }
}
