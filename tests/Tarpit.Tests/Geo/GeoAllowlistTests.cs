using System.Net;
using Tarpit.Geo;

namespace Tarpit.Tests.Geo;

public sealed class GeoAllowlistTests : IDisposable
{
    private readonly GeoFixture _fixture = new();

    [Theory]
    [InlineData("203.0.113.80")]
    [InlineData("::ffff:203.0.113.80")]
    public void Address_in_an_allowlisted_asn_gets_a_reason_naming_the_as_and_its_organisation(string address)
    {
        using var lookup = Open(allowAsns: [64502]);
        var allowlist = new GeoAllowlist(GeoFixture.Config(null, null, allowAsns: [64502]), lookup);

        var reason = allowlist.AllowReason(IPAddress.Parse(address));

        Assert.Equal("AS64502 (Crawler Inc) is in geoip.allow_asns", reason);
    }

    [Theory]
    [InlineData("198.51.100.20")]
    [InlineData("2001:db8:2::20")]
    public void Address_in_an_allowlisted_country_gets_a_reason_naming_the_country(string address)
    {
        var config = GeoFixture.Config(null, null, allowCountries: ["de"]);
        using var lookup = Open(allowCountries: ["de"]);
        var allowlist = new GeoAllowlist(config, lookup);

        var reason = allowlist.AllowReason(IPAddress.Parse(address));

        Assert.Equal("country DE (Germany) is in geoip.allow_countries", reason);
    }

    [Fact]
    public void Asn_reason_wins_when_both_lists_match()
    {
        var config = GeoFixture.Config(null, null, allowAsns: [64500], allowCountries: ["NL"]);
        using var lookup = Open();
        var allowlist = new GeoAllowlist(config, lookup);

        var reason = allowlist.AllowReason(IPAddress.Parse("192.0.2.9"));

        Assert.Equal("AS64500 (Example Attackers BV) is in geoip.allow_asns", reason);
    }

    [Theory]
    [InlineData("192.0.2.7")]
    [InlineData("2001:db8:1::7")]
    [InlineData("8.8.8.8")]
    [InlineData("10.0.0.1")]
    public void Address_outside_both_lists_has_no_reason(string address)
    {
        var config = GeoFixture.Config(null, null, allowAsns: [64502], allowCountries: ["DE"]);
        using var lookup = Open();
        var allowlist = new GeoAllowlist(config, lookup);

        Assert.Null(allowlist.AllowReason(IPAddress.Parse(address)));
    }

    [Fact]
    public void Empty_lists_answer_without_a_lookup()
    {
        using var lookup = Open();
        var allowlist = new GeoAllowlist(GeoFixture.Config(null, null), lookup);

        Assert.True(allowlist.IsEmpty);
        Assert.Null(allowlist.AllowReason(IPAddress.Parse("203.0.113.80")));
        Assert.Equal(0, lookup.CachedCount);
    }

    [Fact]
    public void Without_databases_nothing_is_allowlisted()
    {
        var config = GeoFixture.Config(null, null, allowAsns: [64502], allowCountries: ["US"]);
        using var lookup = _fixture.Open(cityDb: null, asnDb: null, allowAsns: [64502], allowCountries: ["US"]);
        var allowlist = new GeoAllowlist(config, lookup);

        Assert.Null(allowlist.AllowReason(IPAddress.Parse("203.0.113.80")));
    }

    private GeoLookup Open(IReadOnlyList<long>? allowAsns = null, IReadOnlyList<string>? allowCountries = null) =>
        _fixture.Open(_fixture.Install(GeoFixture.City), _fixture.Install(GeoFixture.Asn), allowAsns: allowAsns, allowCountries: allowCountries);

    [Theory]
    [InlineData("203.0.113.80/32")]
    [InlineData("203.0.113.0/24")]
    [InlineData("203.0.113.128/25")]
    [InlineData("203.0.112.0/23")]
    public void Ban_target_network_whose_first_or_last_address_is_allowlisted_gets_the_reason(string network)
    {
        var config = GeoFixture.Config(null, null, allowAsns: [64502]);
        using var lookup = Open();
        var allowlist = new GeoAllowlist(config, lookup);

        var reason = allowlist.AllowReason(IPNetwork.Parse(network));

        Assert.Equal("AS64502 (Crawler Inc) is in geoip.allow_asns", reason);
    }

    [Fact]
    public void Ipv6_ban_target_in_an_allowlisted_country_gets_the_reason()
    {
        var config = GeoFixture.Config(null, null, allowCountries: ["DE"]);
        using var lookup = Open();
        var allowlist = new GeoAllowlist(config, lookup);

        var reason = allowlist.AllowReason(IPNetwork.Parse("2001:db8:2::/48"));

        Assert.Equal("country DE (Germany) is in geoip.allow_countries", reason);
    }

    [Theory]
    [InlineData("2001:db8:1:ffff::/64")]
    [InlineData("192.0.2.0/24")]
    public void Ban_target_outside_the_lists_has_no_reason(string network)
    {
        var config = GeoFixture.Config(null, null, allowAsns: [64502], allowCountries: ["DE"]);
        using var lookup = Open();
        var allowlist = new GeoAllowlist(config, lookup);

        Assert.Null(allowlist.AllowReason(IPNetwork.Parse(network)));
    }

    public void Dispose() => _fixture.Dispose();
}
