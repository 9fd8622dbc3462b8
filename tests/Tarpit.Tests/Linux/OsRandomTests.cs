using Tarpit.Linux;

namespace Tarpit.Tests.Linux;

public sealed class OsRandomTests
{
    [Fact]
    public void Two_fills_of_a_host_key_size_differ_and_are_not_zero()
    {
        var first = new byte[32];
        var second = new byte[32];

        OsRandom.Fill(first);
        OsRandom.Fill(second);

        Assert.NotEqual(first, second);
        Assert.Contains(first, b => b != 0);
    }

    [Fact]
    public void A_buffer_past_the_kernels_one_call_guarantee_of_256_bytes_is_filled_to_its_end()
    {
        // getrandom(2) may return fewer bytes than asked for past 256; the last 64 KiB must still be filled.
        var buffer = new byte[1 << 20];

        OsRandom.Fill(buffer);

        Assert.Contains(buffer.AsSpan(buffer.Length - 65536).ToArray(), b => b != 0);
    }
}
