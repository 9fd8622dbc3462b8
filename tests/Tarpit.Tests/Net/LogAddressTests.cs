using System.Net;
using System.Net.Sockets;
using Tarpit.Net;

namespace Tarpit.Tests.Net;

public sealed class LogAddressTests
{
    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("255.255.255.255", "255.255.255.255")]
    [InlineData("2001:db8::17", "2001:db8::17")]
    [InlineData("2001:0DB8:0:0:0:0:0:17", "2001:db8::17")]
    [InlineData("1234:1234:1234:1234:1234:1234:255.255.255.255", "1234:1234:1234:1234:1234:1234:255.255.255.255")]
    public void Addresses_as_logs_write_them_are_read(string text, string expected)
    {
        Assert.True(LogAddress.TryParse(text, out var address));
        Assert.Equal(IPAddress.Parse(expected), address);
    }

    [Theory]
    [InlineData("::ffff:192.0.2.9", "192.0.2.9")]
    [InlineData("::ffff:c000:209", "192.0.2.9")]
    public void A_mapped_address_counts_as_the_ipv4_address(string text, string expected)
    {
        Assert.True(LogAddress.TryParse(text, out var address));
        Assert.Equal(AddressFamily.InterNetwork, address.AddressFamily);
        Assert.Equal(IPAddress.Parse(expected), address);
    }

    [Theory]
    [InlineData("192.168.001.010")]
    [InlineData("010.0.0.1")]
    [InlineData("10.0.0.01")]
    [InlineData("00.0.0.0")]
    [InlineData("::ffff:010.0.0.1")]
    [InlineData("10.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1..2.3")]
    [InlineData("256.0.0.1")]
    [InlineData("10.0.0.1000")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("167772161")]
    [InlineData("fe80::1%eth0")]
    [InlineData("10.0.0.0/24")]
    [InlineData("2001:db8::/32")]
    [InlineData("[2001:db8::1]")]
    [InlineData("[2001:db8::1]:22")]
    [InlineData("")]
    [InlineData(" 10.0.0.1")]
    [InlineData("10.0.0.1\n")]
    [InlineData("example.com")]
    [InlineData("1234:1234:1234:1234:1234:1234:255.255.255.2550")]
    [InlineData("99999999999999999999999999999999999999999999999999.1.1.1")]
    public void Anything_that_is_not_a_plain_address_charges_nobody(string text)
    {
        Assert.False(LogAddress.TryParse(text, out _));
    }

    [Fact]
    public void Refusing_a_log_address_allocates_nothing()
    {
        const int Lines = 1000;
        var refused = LogAddress.TryParse("192.168.001.010", out _) ? 0 : 1;
        var before = GC.GetAllocatedBytesForCurrentThread();

        for (var i = 0; i < Lines; i++)
        {
            refused += LogAddress.TryParse("192.168.001.010", out _) ? 0 : 1;
            refused += LogAddress.TryParse("::ffff:010.0.0.1", out _) ? 0 : 1;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal((1 + (2 * Lines), true), (refused, allocated < Lines));
    }
}
