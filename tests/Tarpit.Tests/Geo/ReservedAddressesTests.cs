using System.Net;
using Tarpit.Geo;

namespace Tarpit.Tests.Geo;

public sealed class ReservedAddressesTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("10.0.0.0")]
    [InlineData("10.255.255.255")]
    [InlineData("100.64.0.0")]
    [InlineData("100.127.255.255")]
    [InlineData("127.0.0.1")]
    [InlineData("169.254.1.1")]
    [InlineData("172.16.0.0")]
    [InlineData("172.31.255.255")]
    [InlineData("192.0.0.8")]
    [InlineData("192.168.0.1")]
    [InlineData("198.18.0.0")]
    [InlineData("198.19.255.255")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fc00::1")]
    [InlineData("fdff:ffff::1")]
    [InlineData("fe80::1")]
    [InlineData("febf:ffff::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:192.168.1.1")]
    public void Special_purpose_addresses_are_reserved(string address)
    {
        Assert.True(ReservedAddresses.Contains(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("9.255.255.255")]
    [InlineData("11.0.0.0")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("198.17.255.255")]
    [InlineData("198.20.0.0")]
    [InlineData("223.255.255.255")]
    [InlineData("fec0::1")]
    [InlineData("2a00:1450::1")]
    [InlineData("::ffff:8.8.8.8")]
    public void Neighbours_of_the_special_purpose_blocks_are_public(string address)
    {
        Assert.False(ReservedAddresses.Contains(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("192.0.2.1")]
    [InlineData("198.51.100.1")]
    [InlineData("203.0.113.1")]
    [InlineData("2001:db8:1::1")]
    public void Documentation_ranges_are_looked_up_because_the_test_networks_use_them(string address)
    {
        Assert.False(ReservedAddresses.Contains(IPAddress.Parse(address)));
    }
}
