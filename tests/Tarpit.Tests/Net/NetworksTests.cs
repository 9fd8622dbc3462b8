using System.Net;
using System.Net.Sockets;
using Tarpit.Net;

namespace Tarpit.Tests.Net;

public sealed class NetworksTests
{
    [Theory]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("2001:db8::7", "2001:db8::7")]
    [InlineData("::192.0.2.7", "::192.0.2.7")]
    public void Unmapping_turns_only_ipv4_mapped_ipv6_into_ipv4(string text, string expected)
    {
        Assert.Equal(IPAddress.Parse(expected), Networks.Unmap(IPAddress.Parse(text)));
    }

    [Theory]
    [InlineData("::ffff:10.0.0.0/104", "10.0.0.0/8")]
    [InlineData("::ffff:0:0/96", "0.0.0.0/0")]
    [InlineData("::/80", "::/80")]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    public void Unmapping_a_network_inside_the_mapped_block_gives_the_ipv4_network(string text, string expected)
    {
        Assert.Equal(IPNetwork.Parse(expected), Networks.Unmap(IPNetwork.Parse(text)));
    }

    [Fact]
    public void The_full_prefix_length_is_32_for_ipv4_and_128_for_ipv6()
    {
        Assert.Equal(32, Networks.FullPrefixLength(AddressFamily.InterNetwork));
        Assert.Equal(128, Networks.FullPrefixLength(IPAddress.IPv6Loopback));
        Assert.Throws<ArgumentOutOfRangeException>(() => Networks.FullPrefixLength(AddressFamily.Unix));
    }

    [Theory]
    [InlineData("192.0.2.7", 24, "192.0.2.0")]
    [InlineData("192.0.2.7", 32, "192.0.2.7")]
    [InlineData("192.0.2.7", 0, "0.0.0.0")]
    [InlineData("192.0.2.255", 25, "192.0.2.128")]
    [InlineData("2001:db8:1234::7", 36, "2001:db8:1000::")]
    [InlineData("ffff::1", 1, "8000::")]
    public void Masking_clears_every_bit_below_the_prefix(string address, int prefix, string expected)
    {
        Assert.Equal(IPAddress.Parse(expected), Networks.Mask(IPAddress.Parse(address), prefix));
        Assert.Equal(new IPNetwork(IPAddress.Parse(expected), prefix), Networks.Containing(IPAddress.Parse(address), prefix));
    }

    [Fact]
    public void Masking_beyond_the_family_is_a_bug()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Networks.Mask(IPAddress.Loopback, 33));
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.255.255.255")]
    [InlineData("192.0.2.7/32", "192.0.2.7")]
    [InlineData("0.0.0.0/0", "255.255.255.255")]
    [InlineData("2001:db8::/32", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")]
    public void The_last_address_has_every_bit_below_the_prefix_set(string network, string expected)
    {
        Assert.Equal(IPAddress.Parse(expected), Networks.LastAddress(IPNetwork.Parse(network)));
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.1.0.0/16", true, true)]
    [InlineData("10.0.0.0/8", "10.0.0.0/8", true, true)]
    [InlineData("10.1.0.0/16", "10.0.0.0/8", true, false)]
    [InlineData("10.0.0.0/8", "11.0.0.0/8", false, false)]
    [InlineData("0.0.0.0/0", "::/0", false, false)]
    [InlineData("::/0", "2001:db8::/32", true, true)]
    public void Networks_overlap_when_one_holds_the_other_and_only_within_a_family(string a, string b, bool overlap, bool aContainsB)
    {
        var (first, second) = (IPNetwork.Parse(a), IPNetwork.Parse(b));

        Assert.Equal(overlap, Networks.Overlap(first, second));
        Assert.Equal(overlap, Networks.Overlap(second, first));
        Assert.Equal(aContainsB, Networks.Contains(first, second));
    }

    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7/32")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7/32")]
    [InlineData("2001:db8::7", "2001:db8::7/128")]
    public void The_host_network_is_a_32_or_128_and_never_mapped(string address, string expected)
    {
        var host = Networks.Host(IPAddress.Parse(address));

        Assert.Equal(IPNetwork.Parse(expected), host);
        Assert.True(Networks.IsHost(host));
        Assert.False(Networks.IsHost(IPNetwork.Parse("192.0.2.0/31")));
    }
}
