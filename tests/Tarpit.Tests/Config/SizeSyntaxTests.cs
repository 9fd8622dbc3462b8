using Tarpit.Config;

namespace Tarpit.Tests.Config;

public sealed class SizeSyntaxTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("1", 1)]
    [InlineData("512B", 512)]
    [InlineData("64KiB", 65_536)]
    [InlineData("10MiB", 10_485_760)]
    [InlineData("1GiB", 1_073_741_824)]
    [InlineData("1TiB", 1_099_511_627_776)]
    [InlineData("64KB", 64_000)]
    [InlineData("10MB", 10_000_000)]
    [InlineData("1GB", 1_000_000_000)]
    [InlineData("1TB", 1_000_000_000_000)]
    [InlineData("1099511627776", 1_099_511_627_776)]
    [InlineData(" 2KiB ", 2048)]
    public void Valid_spellings_parse_to_the_exact_size(string text, long bytes)
    {
        Assert.True(SizeSyntax.TryParse(text, out var value));
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("KiB")]
    [InlineData("1.5GiB")]
    [InlineData("-1")]
    [InlineData("1gib")]
    [InlineData("1 GiB")]
    [InlineData("1PiB")]
    [InlineData("1099511627777")]
    [InlineData("1025GiB")]
    [InlineData("2TiB")]
    [InlineData("99999999999999999999")]
    public void Invalid_or_too_large_spellings_are_refused(string text)
    {
        Assert.False(SizeSyntax.TryParse(text, out _));
    }

    [Fact]
    public void The_maximum_is_one_tebibyte_exactly()
    {
        Assert.True(SizeSyntax.TryParse("1024GiB", out var max));
        Assert.Equal(SizeSyntax.Max, max);
        Assert.False(SizeSyntax.TryParse((SizeSyntax.Max + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), out _));
    }

    [Theory]
    [InlineData(1_073_741_824, "1GiB")]
    [InlineData(1_048_576, "1MiB")]
    [InlineData(10_000_000, "10MB")]
    [InlineData(1000, "1KB")]
    [InlineData(1500, "1500B")]
    [InlineData(0, "0B")]
    public void Format_writes_the_shortest_exact_spelling_that_parses_back(long bytes, string expected)
    {
        var text = SizeSyntax.Format(bytes);

        Assert.Equal(expected, text);
        Assert.True(SizeSyntax.TryParse(text, out var back));
        Assert.Equal(bytes, back);
    }

    [Theory]
    [InlineData("bomb_size = \"1MiB\"", null)]
    [InlineData("bomb_size = 1048575", "tarpit.toml:5:13: error: 'bomb_size' is out of range: found integer 1048575, allowed 1MiB-16GiB")]
    [InlineData("bomb_size = \"1MB\"", "tarpit.toml:5:13: error: 'bomb_size' is out of range: found string \"1MB\", allowed 1MiB-16GiB")]
    [InlineData("content_length = 0", "tarpit.toml:5:18: error: 'content_length' is out of range: found integer 0, allowed 1B-1TiB")]
    [InlineData("content_length = \"lots\"", "tarpit.toml:5:18: error: 'content_length' is not a valid size: found string \"lots\", expected a size like 4096, \"64KiB\", \"10MiB\", \"1GiB\" (binary) or \"64KB\", \"10MB\", \"1GB\" (decimal)")]
    public void Http_sizes_are_checked_at_their_bounds(string line, string? expected)
    {
        var toml = $"[[tarpit]]\nname = \"h\"\nprotocol = \"http\"\nlisten = [\"[::]:8080\"]\n{line}\n";
        if (expected is null)
        {
            Assert.Equal(SizeSyntax.MiB, ConfigLoader.Parse(toml, ConfigErrors.File).Tarpits.Single().Http!.BombSize);
        }
        else
        {
            Assert.Equal(expected, ConfigErrors.Single(toml));
        }
    }
}
