using Tarpit.Config;

namespace Tarpit.Tests.Config;

public sealed class DurationSyntaxTests
{
    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("90s", 90_000)]
    [InlineData("10m", 600_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("7d", 604_800_000)]
    [InlineData("1w", 604_800_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1d2h3m4s5ms", 93_784_005)]
    [InlineData("45", 45_000)]
    [InlineData(" 3s ", 3_000)]
    [InlineData("3650d", 315_360_000_000)]
    [InlineData("521w3d", 315_360_000_000)]
    [InlineData("315360000", 315_360_000_000)]
    [InlineData("315360000000ms", 315_360_000_000)]
    public void Valid_spellings_parse_to_the_exact_duration(string text, long milliseconds)
    {
        Assert.True(DurationSyntax.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("h")]
    [InlineData("1x")]
    [InlineData("-5s")]
    [InlineData("1.5h")]
    [InlineData("30m1h")]
    [InlineData("1h1h")]
    [InlineData("1H")]
    [InlineData("10 m")]
    [InlineData("99999999999999999999")]
    [InlineData("3651d")]
    [InlineData("3650d1ms")]
    [InlineData("315360001")]
    [InlineData("10000000w")]
    [InlineData("999999999w")]
    [InlineData("999999999999999d")]
    [InlineData("3649d999999999999ms")]
    public void Invalid_spellings_are_refused(string text)
    {
        Assert.False(DurationSyntax.TryParse(text, out _));
    }

    [Theory]
    [InlineData(5_400_000, "1h30m")]
    [InlineData(250, "250ms")]
    [InlineData(604_800_000, "7d")]
    [InlineData(0, "0s")]
    public void Format_writes_the_shortest_exact_spelling_that_parses_back(long milliseconds, string expected)
    {
        var value = TimeSpan.FromMilliseconds(milliseconds);

        var text = DurationSyntax.Format(value);

        Assert.Equal(expected, text);
        Assert.True(DurationSyntax.TryParse(text, out var back));
        Assert.Equal(value, back);
    }
}
