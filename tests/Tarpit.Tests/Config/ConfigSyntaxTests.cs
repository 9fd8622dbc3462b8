using System.Net;
using Tarpit.Config;
using Tarpit.Net;

namespace Tarpit.Tests.Config;

public sealed class ConfigSyntaxTests
{
    [Theory]
    [InlineData("0.0.0.0:1", "0.0.0.0:1")]
    [InlineData("192.0.2.7:65535", "192.0.2.7:65535")]
    [InlineData("[::]:2222", "[::]:2222")]
    [InlineData("[2001:db8::7]:8443", "[2001:db8::7]:8443")]
    [InlineData("[::ffff:192.0.2.7]:80", "[::ffff:192.0.2.7]:80")]
    public void Listen_addresses_parse_and_format_back(string text, string formatted)
    {
        Assert.True(ListenSyntax.TryParse(text, out var endPoint, out _));
        Assert.Equal(formatted, ListenSyntax.Format(endPoint));
    }

    [Theory]
    [InlineData("[::]:2222", "0.0.0.0:2222", true)]
    [InlineData("[::]:2222", "[::1]:2222", true)]
    [InlineData("[::]:2222", "192.0.2.7:2222", true)]
    [InlineData("0.0.0.0:2222", "192.0.2.7:2222", true)]
    [InlineData("0.0.0.0:2222", "[::ffff:192.0.2.7]:2222", true)]
    [InlineData("0.0.0.0:2222", "[::1]:2222", false)]
    [InlineData("192.0.2.7:2222", "192.0.2.8:2222", false)]
    [InlineData("[::]:2222", "[::]:2223", false)]
    public void Listeners_overlap_when_one_address_covers_the_other_on_the_same_port(string a, string b, bool overlap)
    {
        Assert.True(ListenSyntax.TryParse(a, out var first, out _));
        Assert.True(ListenSyntax.TryParse(b, out var second, out _));

        Assert.Equal(overlap, ListenSyntax.Overlaps(first, second));
        Assert.Equal(overlap, ListenSyntax.Overlaps(second, first));
    }

    [Theory]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("192.0.2.7", "192.0.2.7/32")]
    [InlineData("::/0", "::/0")]
    [InlineData("::1", "::1/128")]
    [InlineData("2001:db8::/32", "2001:db8::/32")]
    [InlineData("192.0.2.128/25", "192.0.2.128/25")]
    public void Allowlist_entries_parse_to_networks(string text, string network)
    {
        Assert.True(NetworkText.TryParse(text, TomlText.Networks, out var parsed, out var problem), problem);
        Assert.Equal(IPNetwork.Parse(network), parsed);
    }

    [Theory]
    [InlineData("192.0.2.129/25")]
    [InlineData("192.0.2.0/")]
    [InlineData("192.0.2.0/-1")]
    [InlineData("fe80::1%eth0")]
    [InlineData("")]
    public void Malformed_allowlist_entries_are_refused(string text)
    {
        Assert.False(NetworkText.TryParse(text, TomlText.Networks, out _, out var problem));
        Assert.NotEmpty(problem);
    }

    [Theory]
    [InlineData("stat_dir", "state_dir")]
    [InlineData("STATE_DIR", "state_dir")]
    [InlineData("log_levle", "log_level")]
    [InlineData("banana", null)]
    [InlineData("ab", null)]
    public void Suggestions_are_made_only_for_likely_typos(string found, string? suggestion)
    {
        Assert.Equal(suggestion, KeySuggestion.Closest(found, AgentSection.Keys));
    }

    [Theory]
    [InlineData(1.0, null)]
    [InlineData(1000.0, null)]
    [InlineData(0.99, "tarpit.toml:2:19: error: 'ban_time_factor' is out of range: found 0.99, allowed 1.0-1000.0")]
    [InlineData(double.NaN, "tarpit.toml:2:19: error: 'ban_time_factor' is out of range: found nan, allowed 1.0-1000.0")]
    [InlineData(double.PositiveInfinity, "tarpit.toml:2:19: error: 'ban_time_factor' is out of range: found inf, allowed 1.0-1000.0")]
    [InlineData(1000.5, "tarpit.toml:2:19: error: 'ban_time_factor' is out of range: found 1000.5, allowed 1.0-1000.0")]
    public void Ban_time_factor_is_checked_at_its_bounds(double factor, string? expected)
    {
        var toml = $"[firewall]\nban_time_factor = {TomlText.Float(factor)}\n";
        if (expected is null)
        {
            Assert.Equal(factor, ConfigLoader.Parse(toml, ConfigErrors.File).Firewall.BanTimeFactor);
        }
        else
        {
            Assert.Equal(expected, ConfigErrors.Single(toml));
        }
    }
}
