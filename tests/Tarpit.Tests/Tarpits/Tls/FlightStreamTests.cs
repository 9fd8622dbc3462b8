using Tarpit.Tarpits.Tls;

namespace Tarpit.Tests.Tarpits.Tls;

public sealed class FlightStreamTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(7, 7)]
    [InlineData(64, 5)]
    public void The_stream_is_hello_then_stall_but_its_last_byte_however_much_the_kernel_takes(int max, int taken)
    {
        byte[] hello = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        byte[] stall = [11, 12, 13, 14, 15, 16];
        var stream = new FlightStream(new ServerFlight(hello, stall, StallAfterClientFlight: false));
        var output = new byte[64];
        var sent = new List<byte>();
        var helloSentAt = -1;
        for (var steps = 0; !stream.Done && steps < 100; steps++)
        {
            var written = stream.Write(output, max, helloOnly: false);
            var accepted = Math.Min(written, taken);
            sent.AddRange(output[..accepted]);
            stream.Accept(accepted);
            if (stream.HelloSent && helloSentAt < 0)
            {
                helloSentAt = sent.Count;
            }
        }

        Assert.True(stream.Done);
        Assert.Equal(hello.Concat(stall[..^1]), sent);
        Assert.InRange(helloSentAt, hello.Length, hello.Length + max);
        Assert.Equal(0, stream.Write(output, max, helloOnly: false));
    }

    [Fact]
    public void Hello_only_stops_at_the_end_of_the_hello_and_the_stall_follows()
    {
        byte[] hello = [1, 2, 3, 4];
        byte[] stall = [5, 6, 7];
        var stream = new FlightStream(new ServerFlight(hello, stall, StallAfterClientFlight: true));
        var output = new byte[16];

        Assert.Equal(4, stream.Write(output, 16, helloOnly: true));
        stream.Accept(4);
        Assert.True(stream.HelloSent);
        Assert.Equal(0, stream.Write(output, 16, helloOnly: true));
        Assert.Equal(2, stream.Write(output, 16, helloOnly: false));
        Assert.Equal(new byte[] { 5, 6 }, output[..2]);
    }
}
