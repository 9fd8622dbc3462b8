using Tarpit.Tarpits;

namespace Tarpit.Tests.Tarpits;

public sealed class JitterTests
{
    [Fact]
    public void Every_draw_lies_within_interval_times_one_plus_or_minus_jitter()
    {
        var random = new Random(7);
        var interval = TimeSpan.FromSeconds(10);

        var draws = Enumerable.Range(0, 10_000).Select(_ => Jitter.Next(interval, 0.3, random)).ToList();

        Assert.All(draws, d => Assert.InRange(d, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(13)));
        Assert.Contains(draws, d => d < TimeSpan.FromSeconds(8));
        Assert.Contains(draws, d => d > TimeSpan.FromSeconds(12));
    }

    [Fact]
    public void Zero_jitter_returns_the_interval()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), Jitter.Next(TimeSpan.FromSeconds(3), 0, new Random(1)));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Jitter_outside_zero_to_one_is_rejected(double jitter)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Jitter.Next(TimeSpan.FromSeconds(1), jitter, new Random(1)));
    }
}
