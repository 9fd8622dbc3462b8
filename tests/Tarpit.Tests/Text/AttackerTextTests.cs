using System.Text;
using Tarpit.Text;

namespace Tarpit.Tests.Text;

public sealed class AttackerTextTests
{
    [Fact]
    public void Printable_ascii_passes_through_unchanged()
    {
        Assert.Equal("SSH-2.0-OpenSSH_9.2p1 Debian", AttackerText.Escape("SSH-2.0-OpenSSH_9.2p1 Debian"u8));
    }

    [Fact]
    public void Control_bytes_escape_sequences_backslash_and_non_ascii_become_hex_escapes()
    {
        var escaped = AttackerText.Escape("a\r\n\u001b[31m\\é\0"u8);

        Assert.Equal(@"a\x0d\x0a\x1b[31m\x5c\xc3\xa9\x00", escaped);
    }

    [Fact]
    public void Output_is_cut_at_the_bound_with_a_marker_and_never_splits_an_escape()
    {
        var input = Encoding.ASCII.GetBytes(new string('A', 10) + "\n" + new string('B', 100));

        var escaped = AttackerText.Escape(input, maxLength: 12);

        Assert.Equal("AAAAAAAAAA" + AttackerText.TruncationMarker, escaped);
    }

    [Fact]
    public void Long_strings_are_truncated_to_the_bound_plus_marker()
    {
        var escaped = AttackerText.Escape(new string('x', 10_000), maxLength: 64);

        Assert.Equal(new string('x', 64) + AttackerText.TruncationMarker, escaped);
    }

    [Fact]
    public void Every_byte_value_escapes_to_printable_ascii_only()
    {
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        var escaped = AttackerText.Escape(all, maxLength: 4096);

        Assert.All(escaped, c => Assert.InRange(c, ' ', '~'));
    }

    [Fact]
    public void Non_ascii_text_longer_than_the_bound_is_cut_with_a_marker_instead_of_throwing()
    {
        var escaped = AttackerText.Escape(new string('é', 300), maxLength: 64);

        Assert.Equal(string.Concat(Enumerable.Repeat(@"\xc3\xa9", 8)) + AttackerText.TruncationMarker, escaped);
    }

    [Fact]
    public void An_offence_line_of_800_bytes_with_an_early_accent_is_cut_at_the_reason_bound()
    {
        var line = "é" + new string('a', 900);

        var escaped = AttackerText.Escape(line, maxLength: 200);

        Assert.Equal(@"\xc3\xa9" + new string('a', 192) + AttackerText.TruncationMarker, escaped);
    }

    [Fact]
    public void A_lone_surrogate_escapes_as_the_replacement_character_like_utf8_encoding()
    {
        Assert.Equal(@"a\xef\xbf\xbdb", AttackerText.Escape("a\ud800b"));
    }

    [Fact]
    public void Plain_text_within_the_bound_is_returned_as_is_and_one_character_more_is_cut()
    {
        var plain = new string('a', 63) + "~";
        Assert.Same(plain, AttackerText.Escape(plain, 64));
        Assert.Equal(plain, AttackerText.Escape(System.Text.Encoding.ASCII.GetBytes(plain), 64));
        Assert.Equal(AttackerText.Escape(plain[..^1] + "\\", 64), AttackerText.Escape(System.Text.Encoding.ASCII.GetBytes(plain[..^1] + "\\"), 64));
        Assert.EndsWith(@"\x5c", AttackerText.Escape(plain[..^1] + "\\", 67), StringComparison.Ordinal);
        Assert.NotEqual(plain + "b", AttackerText.Escape(plain + "b", 64));
        Assert.StartsWith(plain[..^4], AttackerText.Escape(plain + "b", 64), StringComparison.Ordinal);
        Assert.Equal(AttackerText.Escape(plain + "b", 64), AttackerText.Escape(System.Text.Encoding.ASCII.GetBytes(plain + "b"), 64));
        Assert.Equal(@"a\x7fb", AttackerText.Escape("a\u007fb"));
        Assert.Equal(@"a\x1fb", AttackerText.Escape("a\u001fb"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(4000)]
    public void The_deciding_prefix_escapes_as_the_whole_for_plain_binary_and_mixed_input_at_every_length_about_the_bound(int length)
    {
        var random = new Random(length);
        foreach (var kind in new[] { "plain", "binary", "mixed" })
        {
            var bytes = new byte[length];
            for (var i = 0; i < length; i++)
            {
                bytes[i] = kind switch
                {
                    "plain" => (byte)random.Next(0x20, 0x5B), // below the backslash
                    "binary" => (byte)random.Next(0x00, 0x20),
                    _ => (byte)random.Next(0x00, 0x100),
                };
            }

            var deciding = AttackerText.DecidingLength(bytes);

            Assert.Equal(AttackerText.Escape(bytes), AttackerText.Escape(bytes.AsSpan(0, deciding)));
            Assert.InRange(deciding, 0, Math.Min(length, AttackerText.DefaultMaxLength + 1));
        }
    }

    [Fact]
    public void A_binary_hello_is_decided_by_its_first_65_bytes_and_a_plain_request_by_257()
    {
        Assert.Equal(65, AttackerText.DecidingLength(new byte[1000]));
        Assert.Equal(257, AttackerText.DecidingLength(Encoding.ASCII.GetBytes(new string('G', 1000))));
        Assert.Equal(256, AttackerText.DecidingLength(Encoding.ASCII.GetBytes(new string('G', 256))));
    }
}
