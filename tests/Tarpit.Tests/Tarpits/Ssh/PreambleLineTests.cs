using Tarpit.Tarpits.Ssh;

namespace Tarpit.Tests.Tarpits.Ssh;

public sealed class PreambleLineTests
{
    [Fact]
    public void Lines_are_3_to_32_printable_bytes_ending_in_CR_LF_and_never_start_with_SSH_dash()
    {
        var buffer = new byte[PreambleLine.MaxLength];
        var lengths = new HashSet<int>();
        for (var sample = 0; sample < 20_000; sample++)
        {
            var seed = (ulong)sample * 7919UL;
            var length = PreambleLine.Write(seed, sample % 97, buffer);
            var line = buffer.AsSpan(0, length);

            Assert.InRange(length, PreambleLine.MinLength, PreambleLine.MaxLength);
            Assert.True(line.EndsWith("\r\n"u8));
            var text = line[..^2];
            Assert.False(text.StartsWith("SSH-"u8));
            foreach (var b in text)
            {
                Assert.InRange(b, (byte)0x20, (byte)0x7E);
            }

            lengths.Add(length);
        }

        Assert.Contains(PreambleLine.MinLength, lengths);
        Assert.Contains(PreambleLine.MaxLength, lengths);
    }

    [Fact]
    public void The_same_seed_and_index_give_the_same_line_so_a_partly_sent_line_can_be_finished()
    {
        var first = new byte[PreambleLine.MaxLength];
        var again = new byte[PreambleLine.MaxLength];

        var length = PreambleLine.Write(42, 7, first);
        var lengthAgain = PreambleLine.Write(42, 7, again);

        Assert.Equal(length, lengthAgain);
        Assert.Equal(first.AsSpan(0, length).ToArray(), again.AsSpan(0, length).ToArray());
    }

    [Fact]
    public void Consecutive_lines_and_connections_differ()
    {
        var a = new byte[PreambleLine.MaxLength];
        var b = new byte[PreambleLine.MaxLength];
        var c = new byte[PreambleLine.MaxLength];

        var lengthA = PreambleLine.Write(SshNoise.Seed(1, 1), 0, a);
        var lengthB = PreambleLine.Write(SshNoise.Seed(1, 1), 1, b);
        var lengthC = PreambleLine.Write(SshNoise.Seed(1, 2), 0, c);

        Assert.NotEqual(a.AsSpan(0, lengthA).ToArray(), b.AsSpan(0, lengthB).ToArray());
        Assert.NotEqual(a.AsSpan(0, lengthA).ToArray(), c.AsSpan(0, lengthC).ToArray());
    }
}
