using System.Net;
using Tarpit.Agent.Commands;
using Tarpit.Config;
using Tarpit.Net;

namespace Tarpit.Tests.Net;

public sealed class NetworkTextTests
{
    [Theory]
    [InlineData("0.0.0.0", "0.0.0.0/32")]
    [InlineData("255.255.255.255", "255.255.255.255/32")]
    [InlineData("10.0.0.1", "10.0.0.1/32")]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData("10.0.0.0/32", "10.0.0.0/32")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("::/0", "::/0")]
    [InlineData("::/1", "::/1")]
    [InlineData("8000::/1", "8000::/1")]
    [InlineData("::1", "::1/128")]
    [InlineData("2001:DB8::/32", "2001:db8::/32")]
    [InlineData("2001:0db8::7", "2001:db8::7/128")]
    public void Plain_addresses_and_networks_are_accepted_at_every_boundary(string text, string expected)
    {
        var parsed = NetworkText.TryParse(text, TomlText.Networks, out var network, out var mapped, out var error);

        Assert.True(parsed, error);
        Assert.Equal(IPNetwork.Parse(expected), network);
        Assert.False(mapped);
    }

    [Theory]
    [InlineData("::ffff:10.0.0.3", "10.0.0.3/32")]
    [InlineData("::FFFF:10.0.0.3", "10.0.0.3/32")]
    [InlineData("::ffff:10.0.0.3/128", "10.0.0.3/32")]
    [InlineData("::ffff:10.0.0.0/104", "10.0.0.0/8")]
    [InlineData("::ffff:0:0/96", "0.0.0.0/0")]
    [InlineData("::ffff:a00:3", "10.0.0.3/32")]
    public void Ipv4_mapped_ipv6_is_returned_as_the_ipv4_network_and_said_to_be_mapped(string text, string expected)
    {
        var parsed = NetworkText.TryParse(text, TomlText.Networks, out var network, out var mapped, out var error);

        Assert.True(parsed, error);
        Assert.Equal(IPNetwork.Parse(expected), network);
        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetwork, network.BaseAddress.AddressFamily);
        Assert.True(mapped);
    }

    [Theory]
    [InlineData("010.0.0.1", "leading zeros are not allowed", "write 10.0.0.1 if you mean decimal")]
    [InlineData("10.0.0.01", "leading zeros are not allowed", "write 10.0.0.1 if you mean decimal")]
    [InlineData("00.0.0.0", "leading zeros are not allowed", "write 0.0.0.0 if you mean decimal")]
    [InlineData("010.0.0.0/8", "leading zeros are not allowed", "write 10.0.0.0/8 if you mean decimal")]
    [InlineData("::ffff:010.0.0.1", "leading zeros are not allowed", "write ::ffff:10.0.0.1 if you mean decimal")]
    [InlineData("10.1", "is not an IP address or network; expected", "")]
    [InlineData("1.2.3.4.5", "is not an IP address or network; expected", "")]
    [InlineData("1.2.3.", "is not an IP address or network; expected", "")]
    [InlineData("192.0.2.256", "at most 255", "")]
    [InlineData("0x7f.0.0.1", "is not an IP address or network; expected", "")]
    [InlineData("2130706433", "is not an IP address or network; expected", "")]
    [InlineData("fe80::1%eth0", "zone ids like %eth0 are not allowed", "write fe80::1")]
    [InlineData("fe80::%eth0/64", "zone ids like %eth0 are not allowed", "write fe80::/64")]
    [InlineData("10.0.0.1/24", "has host bits set after the /24 prefix", "did you mean 10.0.0.0/24 (the network) or 10.0.0.1 (one address)?")]
    [InlineData("::ffff:10.0.0.1/104", "has host bits set after the /104 prefix", "did you mean 10.0.0.0/8 (the network) or 10.0.0.1 (one address)?")]
    [InlineData("10.0.0.0/33", "has an invalid prefix length; allowed /0-/32", "")]
    [InlineData("::/129", "has an invalid prefix length; allowed /0-/128", "")]
    [InlineData("10.0.0.0/024", "leading zeros are not allowed", "write 10.0.0.0/24")]
    [InlineData("10.0.0.0/00", "leading zeros are not allowed", "write 10.0.0.0/0")]
    [InlineData("10.0.0.0/", "has an invalid prefix length", "")]
    [InlineData("10.0.0.0/+8", "has an invalid prefix length", "")]
    [InlineData("10.0.0.0/8/8", "has an invalid prefix length", "")]
    [InlineData("", "is empty", "")]
    [InlineData(" 10.0.0.1", "is not an IP address or network; expected", "")]
    [InlineData("10.0.0.1 ", "is not an IP address or network; expected", "")]
    [InlineData("10.0.0.1/8 ", "has an invalid prefix length", "")]
    [InlineData("[::1]", "is not an IP address or network; expected", "")]
    [InlineData("1.2.3.4:80", "is not an IP address or network; expected", "")]
    [InlineData("example.org", "is not an IP address or network; expected", "")]
    public void Everything_else_is_refused_with_what_was_found_and_how_to_fix_it(string text, string problem, string fix)
    {
        var parsed = NetworkText.TryParse(text, BanCommand.TargetStyle, out _, out var error);

        Assert.False(parsed);
        Assert.StartsWith($"'{text}' ", error, StringComparison.Ordinal);
        Assert.Contains(problem, error, StringComparison.Ordinal);
        Assert.Contains(fix, error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_octal_looking_address_is_refused_in_one_sentence_that_says_what_to_write()
    {
        Assert.False(NetworkText.TryParse("010.0.0.1", BanCommand.TargetStyle, out _, out var error));

        Assert.Equal("'010.0.0.1' is not an IP address or network: leading zeros are not allowed (some tools read 010 as octal 8, others as decimal 10); write 10.0.0.1 if you mean decimal", error);
    }

    [Fact]
    public void Config_errors_quote_what_they_found_and_their_fix_as_toml_strings()
    {
        Assert.False(NetworkText.TryParse("010.0.0.1", TomlText.Networks, out _, out var error));

        Assert.StartsWith("\"010.0.0.1\" is not an IP address or network:", error, StringComparison.Ordinal);
        Assert.EndsWith("write \"10.0.0.1\" if you mean decimal", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Over_long_text_is_refused_by_its_length_before_it_is_read()
    {
        var text = new string('1', NetworkText.MaxLength + 1);

        var parsed = NetworkText.TryParse(text, BanCommand.TargetStyle, out _, out var error);

        Assert.False(parsed);
        Assert.Contains($"it is {NetworkText.MaxLength + 1} characters long", error, StringComparison.Ordinal);
        Assert.Contains("RFC 4291 §2.2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_address_part_longer_than_any_address_is_refused_even_under_the_whole_bound()
    {
        var parsed = NetworkText.TryParse("1234:1234:1234:1234:1234:1234:1234:1234:123456", BanCommand.TargetStyle, out _, out var error);

        Assert.False(parsed);
        Assert.Contains("at most 45 characters", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("192.0.2.7/32", "192.0.2.7")]
    [InlineData("192.0.2.0/24", "192.0.2.0/24")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("2001:db8::7/128", "2001:db8::7")]
    [InlineData("2001:db8::/32", "2001:db8::/32")]
    public void Networks_are_written_for_people_as_an_address_for_a_host_and_with_the_prefix_otherwise(string network, string expected)
    {
        Assert.Equal(expected, NetworkText.Format(IPNetwork.Parse(network)));
    }

    [Theory]
    [InlineData("192.0.2.7")]
    [InlineData("192.0.2.0/24")]
    [InlineData("2001:db8::/48")]
    [InlineData("::ffff:192.0.2.0/120")]
    public void What_the_formatter_writes_the_parser_reads_back(string text)
    {
        var network = NetworkText.Parse(text);

        Assert.Equal(network, NetworkText.Parse(NetworkText.Format(network)));
    }

    [Fact]
    public void Parsing_a_literal_that_is_not_a_network_throws_with_the_sentence()
    {
        var ex = Assert.Throws<FormatException>(() => NetworkText.Parse("10.0.0.1/8"));

        Assert.Contains("did you mean 10.0.0.0/8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mapped_entry_is_noted_with_the_ipv4_network_it_became()
    {
        Assert.True(NetworkText.TryParse("::ffff:10.0.0.3", TomlText.Networks, out var network, out _, out _));

        var note = NetworkText.MappedNote("::ffff:10.0.0.3", network, TomlText.Networks);

        Assert.StartsWith("\"::ffff:10.0.0.3\" is an IPv4-mapped IPv6 address; it is kept as the IPv4 network \"10.0.0.3\"", note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("::ffff:192.0.2.7", nameof(AddressProblem.None))]
    [InlineData("192.0.2.7", nameof(AddressProblem.None))]
    [InlineData("192.0.2.07", nameof(AddressProblem.LeadingZero))]
    [InlineData("192.0.2.300", nameof(AddressProblem.PartTooLarge))]
    [InlineData("fe80::1%eth0", nameof(AddressProblem.ZoneId))]
    [InlineData("192.0.2.0/24", nameof(AddressProblem.NotAnAddress))]
    [InlineData("", nameof(AddressProblem.Empty))]
    public void A_single_address_is_read_as_written_for_sockets(string text, string problemName)
    {
        var expected = Enum.Parse<AddressProblem>(problemName);

        var problem = NetworkText.TryParseAddress(text, out var address);

        Assert.Equal(expected, problem);
        if (expected == AddressProblem.None)
        {
            Assert.Equal(IPAddress.Parse(text), address);
        }
    }
}
