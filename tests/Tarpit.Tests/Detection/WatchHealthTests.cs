using Microsoft.Extensions.Time.Testing;
using Tarpit.Detection.Sources;

namespace Tarpit.Tests.Detection;

public sealed class WatchHealthTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_problem_is_new_once_and_ends_when_the_source_is_found()
    {
        var health = new WatchHealth(_time);

        var first = health.SetProblem("the file does not exist");
        var again = health.SetProblem("the file does not exist");
        var ended = health.SetFound();

        Assert.True(first);
        Assert.False(again);
        Assert.Equal("the file does not exist", ended);
        Assert.True(health.Found);
        Assert.Null(health.Problem);
    }

    [Fact]
    public void A_watch_is_silent_only_after_twenty_mean_gaps_and_at_least_an_hour_and_is_told_once()
    {
        var health = new WatchHealth(_time);
        for (var i = 0; i < WatchHealth.MinLinesForUsual; i++)
        {
            health.Read(1, _time.GetUtcNow());
            _time.Advance(TimeSpan.FromMinutes(10));
        }

        // A line every 10 minutes: silence begins after 20 × 10 min = 3h20m (more than the 1 h floor).
        _time.Advance(TimeSpan.FromHours(3));
        var early = health.CheckSilence(_time.GetUtcNow(), out _);
        _time.Advance(TimeSpan.FromMinutes(20));
        var began = health.CheckSilence(_time.GetUtcNow(), out _);
        var stillSilent = health.CheckSilence(_time.GetUtcNow(), out _);
        var problem = health.Describe(_time.GetUtcNow());
        health.Read(1, _time.GetUtcNow());
        health.CheckSilence(_time.GetUtcNow(), out var recovered);

        Assert.False(early);
        Assert.True(began);
        Assert.False(stillSilent);
        Assert.StartsWith("silent for 3h30m, far longer than usual (a line every 10m on average)", problem, StringComparison.Ordinal);
        Assert.True(recovered);
        Assert.Null(health.Describe(_time.GetUtcNow()));
    }

    [Fact]
    public void A_watch_that_saw_too_few_lines_to_know_its_rhythm_is_never_called_silent()
    {
        var health = new WatchHealth(_time);
        health.Read(WatchHealth.MinLinesForUsual - 1, _time.GetUtcNow());

        _time.Advance(TimeSpan.FromDays(3));

        Assert.Null(health.SilentFor(_time.GetUtcNow()));
    }
}
