using System.Net;
using Tarpit.Agent.Commands;
using Tarpit.Net;

namespace Tarpit.Tests.Net;

public sealed class BanTargetTextTests
{
    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7/32")]
    [InlineData("192.0.2.0/24", "192.0.2.0/24")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("2001:db8::1", "2001:db8::1/128")]
    [InlineData("2001:DB8::/32", "2001:db8::/32")]
    [InlineData("2001:db8:1:2:3:4:5:6/128", "2001:db8:1:2:3:4:5:6/128")]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1/32")]
    public void Addresses_and_prefixes_are_accepted(string text, string expected)
    {
        Assert.True(NetworkText.TryParse(text, BanCommand.TargetStyle, out var target, out var error), error);
        Assert.Equal(IPNetwork.Parse(expected), target);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" 192.0.2.7")]
    [InlineData("192.0.2.7 ")]
    [InlineData("192.0.2.7\n")]
    [InlineData("example.com")]
    [InlineData("localhost")]
    [InlineData("010.0.0.1")]
    [InlineData("192.0.2.07")]
    [InlineData("192.0.2")]
    [InlineData("3221225994")]
    [InlineData("0xc0.0.2.1")]
    [InlineData("192.0.2.256")]
    [InlineData("192.0.2.1.5")]
    [InlineData("fe80::1%eth0")]
    [InlineData("192.0.2.0/33")]
    [InlineData("192.0.2.0/024")]
    [InlineData("192.0.2.0/")]
    [InlineData("192.0.2.0/-1")]
    [InlineData("2001:db8::/129")]
    [InlineData("1.2.3.4; nft flush ruleset")]
    public void Anything_else_is_refused(string text)
    {
        Assert.False(NetworkText.TryParse(text, BanCommand.TargetStyle, out _, out var error));
        Assert.NotEmpty(error);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void Host_bits_below_the_prefix_are_refused_with_the_network_address_suggested()
    {
        Assert.False(NetworkText.TryParse("192.0.2.7/24", BanCommand.TargetStyle, out _, out var error));

        Assert.Contains("did you mean 192.0.2.0/24", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_length_bound_is_a_full_ipv6_address_with_an_ipv4_tail_and_a_prefix()
    {
        var longest = "1234:1234:1234:1234:1234:1234:255.255.255.255/128";

        Assert.Equal(NetworkText.MaxLength, longest.Length);
        Assert.False(NetworkText.TryParse(longest + "0", BanCommand.TargetStyle, out _, out _));
        Assert.True(NetworkText.TryParse("1234:1234:1234:1234:1234:1234:255.255.255.255/128", BanCommand.TargetStyle, out _, out var error), error);
    }
}
