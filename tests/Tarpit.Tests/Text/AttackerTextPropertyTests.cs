using System.Text;
using Tarpit.Agent.Commands;
using Tarpit.Geo;
using Tarpit.Text;

namespace Tarpit.Tests.Text;

/// <summary>
/// Property tests of every escaping path over hostile input: seeded random Unicode (surrogate pairs, lone surrogates,
/// U+FFFD, combining marks, bidi controls, control characters), random bytes and invalid UTF-8, at many bounds.
/// </summary>
public sealed class AttackerTextPropertyTests
{
    /// <summary>Cases per seed; the seeds below make the runs repeatable.</summary>
    private const int CasesPerSeed = 2_000;

    private static readonly int[] Bounds = [1, 2, 3, 4, 5, 7, 16, 64, 200, 256, 1000, 4096];

    /// <summary>Code units an attacker would reach for, beside random ones.</summary>
    private static readonly string[] HostileUnits =
    [
        "é", "\ufffd", "\U0001F600", "\ud800", "\udc00", "\udbff\udfff", "\u0301", "\u202e", "\u2066", "\u200f",
        "\u001b[2J", "\0", "\r\n", "\\", "\u0085", "\u2028", "\ufeff", "\u00ff", "中", "\uffff",
    ];

    public static TheoryData<int> Seeds => [1, 2, 3, 14, 2026];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Escaping_random_unicode_never_throws_and_gives_printable_ascii_within_the_bound(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < CasesPerSeed; i++)
        {
            var text = RandomText(random);
            var max = Bounds[random.Next(Bounds.Length)];

            var escaped = AttackerText.Escape(text, max);

            AssertSafe(escaped, max, PlainPrefix(text), text);
            Assert.Equal(AttackerText.Escape(Encoding.UTF8.GetBytes(text), max), escaped);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Escaping_random_bytes_and_invalid_utf8_never_throws_and_gives_printable_ascii_within_the_bound(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < CasesPerSeed; i++)
        {
            var bytes = RandomBytes(random);
            var max = Bounds[random.Next(Bounds.Length)];

            var escaped = AttackerText.Escape(bytes, max);

            AssertSafe(escaped, max, PlainPrefix(Encoding.Latin1.GetString(bytes)), Convert.ToHexString(bytes));
            var whole = AttackerText.Escape(bytes, int.MaxValue);
            Assert.Equal(whole.Length > max, escaped.EndsWith(AttackerText.TruncationMarker));
            Assert.StartsWith(escaped.TrimEnd(AttackerText.TruncationMarker), whole, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Decoded_invalid_utf8_escapes_like_its_replacement_characters(int seed)
    {
        // A log line in Latin-1 or broken UTF-8 reaches the judge as a string full of U+FFFD.
        var random = new Random(seed);
        for (var i = 0; i < CasesPerSeed; i++)
        {
            var text = Encoding.UTF8.GetString(RandomBytes(random));
            var max = Bounds[random.Next(Bounds.Length)];

            var escaped = AttackerText.Escape(text, max);

            AssertSafe(escaped, max, PlainPrefix(text), text);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Geo_names_and_hostile_ban_targets_are_escaped_by_the_same_rules(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < CasesPerSeed; i++)
        {
            var text = RandomText(random);

            var name = GeoLookup.Clean(text)!;
            var target = BanCommand.TargetStyle.Found(text);

            AssertSafe(name, GeoLookup.MaxNameLength, PlainPrefix(text), text);
            Assert.StartsWith("'", target, StringComparison.Ordinal);
            Assert.EndsWith("'", target, StringComparison.Ordinal);
            AssertSafe(target[1..^1], 64, PlainPrefix(text), text);
        }
    }

    private static void AssertSafe(string escaped, int max, string plainPrefix, string input)
    {
        var body = escaped.EndsWith(AttackerText.TruncationMarker) ? escaped[..^1] : escaped;
        Assert.True(body.Length <= max, $"{body.Length} > {max} for {Convert.ToHexString(Encoding.Unicode.GetBytes(input))}");
        Assert.True(body.All(c => c is >= ' ' and <= '~'), $"not printable ASCII: {Convert.ToHexString(Encoding.Unicode.GetBytes(escaped))}");
        var kept = plainPrefix[..Math.Min(plainPrefix.Length, max)];
        Assert.StartsWith(kept, escaped, StringComparison.Ordinal);
    }

    /// <summary>The longest start of the input that escaping leaves as it is: printable ASCII except the backslash.</summary>
    private static string PlainPrefix(string text)
    {
        var length = 0;
        while (length < text.Length && text[length] is >= ' ' and <= '~' and not '\\')
        {
            length++;
        }

        return text[..length];
    }

    private static string RandomText(Random random)
    {
        var builder = new StringBuilder();
        var parts = random.Next(0, 400);
        if (random.Next(4) == 0)
        {
            builder.Append(new string('a', random.Next(0, 300)));
        }

        for (var i = 0; i < parts; i++)
        {
            switch (random.Next(5))
            {
                case 0:
                    builder.Append(HostileUnits[random.Next(HostileUnits.Length)]);
                    break;
                case 1:
                    builder.Append((char)random.Next(0, 0x10000));
                    break;
                case 2:
                    builder.Append(char.ConvertFromUtf32(random.Next(0x10000, 0x110000)));
                    break;
                default:
                    builder.Append((char)random.Next(0x20, 0x7F));
                    break;
            }
        }

        return builder.ToString();
    }

    private static byte[] RandomBytes(Random random)
    {
        byte[][] invalid = [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82], [0xFF], [0x80], [0xF4, 0x90, 0x80, 0x80], [0xC3, 0xA9]];
        var bytes = new List<byte>();
        var parts = random.Next(0, 600);
        for (var i = 0; i < parts; i++)
        {
            if (random.Next(3) == 0)
            {
                bytes.AddRange(invalid[random.Next(invalid.Length)]);
            }
            else
            {
                bytes.Add((byte)random.Next(random.Next(2) == 0 ? 0x80 : 0x100));
            }
        }

        return [.. bytes];
    }
}
