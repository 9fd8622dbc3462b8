using Tarpit.Tarpits.Engine;

namespace Tarpit.Tests.Tarpits.Engine;

public sealed class AcceptBackoffTests
{
    [Fact]
    public void Delays_double_from_100_ms_up_to_5_s_and_only_the_first_failure_starts_an_episode()
    {
        var backoff = new AcceptBackoff();

        var failures = Enumerable.Range(0, 10).Select(_ => backoff.Fail()).ToList();

        Assert.Equal(
            [100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000, 5000],
            failures.Select(f => (int)f.Delay.TotalMilliseconds));
        Assert.Equal([true, false, false, false, false, false, false, false, false, false], failures.Select(f => f.StartsEpisode));
    }

    [Fact]
    public void A_success_ends_the_episode_and_the_next_failure_starts_over()
    {
        var backoff = new AcceptBackoff();
        backoff.Fail();
        backoff.Fail();

        var ended = backoff.Succeed();
        var again = backoff.Fail();
        var quiet = new AcceptBackoff().Succeed();

        Assert.True(ended);
        Assert.False(quiet);
        Assert.Equal((TimeSpan.FromMilliseconds(100), true), again);
    }
}
