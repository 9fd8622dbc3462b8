using System.Net;
using System.Runtime.CompilerServices;
using Tarpit.Net;

namespace Tarpit.Tests.Net;

/// <summary>The compact key of a network that the per-ban maps hold (issue 17: RSS per ban of a startup snapshot).</summary>
public sealed class NetworkKeyTests
{
    [Theory]
    [InlineData("198.51.100.7/32", "198.51.100.7/32", true)]
    [InlineData("198.51.100.0/24", "198.51.100.0/24", true)]
    [InlineData("198.51.100.7/32", "198.51.100.8/32", false)]
    [InlineData("198.51.100.0/24", "198.51.100.0/25", false)]
    [InlineData("0.0.0.0/0", "::/0", false)]
    [InlineData("2001:db8::1/128", "2001:db8::1/128", true)]
    [InlineData("2001:db8::/32", "2001:db8::/33", false)]
    [InlineData("::ffff:198.51.100.7/128", "198.51.100.7/32", false)]
    public void Two_networks_have_the_same_key_exactly_when_they_are_the_same_network(string a, string b, bool same)
    {
        Assert.Equal(same, NetworkKey.Of(IPNetwork.Parse(a)) == NetworkKey.Of(IPNetwork.Parse(b)));
    }

    [Theory]
    [InlineData("198.51.100.7/32", 24, "198.51.100.0/24")]
    [InlineData("198.51.100.7/32", 0, "0.0.0.0/0")]
    [InlineData("198.51.100.7/32", 32, "198.51.100.7/32")]
    [InlineData("2001:db8:aaaa:bbbb::1/128", 48, "2001:db8:aaaa::/48")]
    [InlineData("2001:db8:aaaa:bbbb::1/128", 65, "2001:db8:aaaa:bbbb::/65")]
    [InlineData("2001:db8:aaaa:bbbb::1/128", 128, "2001:db8:aaaa:bbbb::1/128")]
    public void Widened_is_the_key_of_the_network_around_it(string network, int prefix, string around)
    {
        Assert.Equal(NetworkKey.Of(IPNetwork.Parse(around)), NetworkKey.Of(IPNetwork.Parse(network)).Widened(prefix));
    }

    [Fact]
    public void A_key_is_24_bytes_inline()
    {
        Assert.Equal(24, Unsafe.SizeOf<NetworkKey>());
    }
}
