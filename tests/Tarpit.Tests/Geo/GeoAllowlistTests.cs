using System.Net;
using Tarpit.Geo;
using Xunit.Abstractions;

namespace Tarpit.Tests.Geo;

public sealed class GeoAllowlistTests(ITestOutputHelper output) : IDisposable
{
    private readonly GeoFixture _fixture = new();
    private readonly ITestOutputHelper _output = output;

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

    [Fact]
    public void Host_ban_in_an_allowlisted_asn_gets_the_reason_of_its_address()
    {
        using var lookup = Open();
        var allowlist = new GeoAllowlist(GeoFixture.Config(null, null, allowAsns: [64502]), lookup);

        var reason = allowlist.AllowReason(IPNetwork.Parse("203.0.113.80/32"));

        Assert.Equal("AS64502 (Crawler Inc) is in geoip.allow_asns", reason);
    }

    [Theory]
    [InlineData("203.0.113.0/24")]
    [InlineData("203.0.113.128/25")]
    [InlineData("203.0.112.0/23")]
    public void Network_ban_that_overlaps_an_allowlisted_asn_gets_the_reason_naming_its_network(string network)
    {
        using var lookup = Open();
        var allowlist = new GeoAllowlist(GeoFixture.Config(null, null, allowAsns: [64502]), lookup);

        var reason = allowlist.AllowReason(IPNetwork.Parse(network));

        Assert.Equal("it overlaps 203.0.113.0/24, where AS64502 (Crawler Inc) is in geoip.allow_asns", reason);
    }

    [Fact]
    public void A_16_over_an_allowlisted_asns_24_in_its_middle_is_refused_naming_that_24()
    {
        using var lookup = Open();
        var allowlist = new GeoAllowlist(GeoFixture.Config(null, null, allowAsns: [64501]), lookup);

        var reason = allowlist.AllowReason(IPNetwork.Parse("198.51.0.0/16"));

        Assert.Equal("it overlaps 198.51.100.0/24, where AS64501 (Innocent GmbH) is in geoip.allow_asns", reason);
    }

    [Theory]
    [InlineData("198.0.0.0/8", "it overlaps 198.51.100.0/24, where country DE (Germany) is in geoip.allow_countries")]
    [InlineData("2001:db8::/32", "it overlaps 2001:db8:2::/48, where country DE (Germany) is in geoip.allow_countries")]
    [InlineData("::ffff:198.51.0.0/112", "it overlaps 198.51.100.0/24, where country DE (Germany) is in geoip.allow_countries")]
    public void A_wide_network_over_an_allowlisted_country_is_refused_naming_the_network_inside(string network, string expected)
    {
        using var lookup = Open();
        var allowlist = new GeoAllowlist(GeoFixture.Config(null, null, allowCountries: ["DE"]), lookup);

        Assert.Equal(expected, allowlist.AllowReason(IPNetwork.Parse(network)));
    }

    [Theory]
    [InlineData("192.0.0.0/16")]
    [InlineData("198.52.0.0/16")]
    [InlineData("2001:db8:1::/48")]
    public void A_network_with_no_allowlisted_network_inside_has_no_reason(string network)
    {
        using var lookup = Open();
        var allowlist = new GeoAllowlist(GeoFixture.Config(null, null, allowAsns: [64501], allowCountries: ["DE"]), lookup);

        Assert.Null(allowlist.AllowReason(IPNetwork.Parse(network)));
    }

    [Theory]
    [InlineData("0.0.0.0/0", "Asn")]
    [InlineData("0.0.0.0/0", "Location")]
    [InlineData("::/0", "Asn")]
    [InlineData("::/0", "Location")]
    public void The_widest_walk_of_the_fixtures_stays_far_inside_the_bound(string network, string database)
    {
        using var lookup = Open();
        var role = Enum.Parse<GeoDatabaseRole>(database);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var match = lookup.FindInside(IPNetwork.Parse(network), role, _ => false);

        clock.Stop();
        Assert.NotNull(match);
        Assert.False(match.Found);
        Assert.False(match.TooManyNetworks);
        Assert.InRange(match.Steps, 1, 1_000);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"{network} in the {role} fixture took {clock.Elapsed} ({match.Steps} lookups)");
        _output.WriteLine($"{network} {role}: {match.Steps} lookups in {clock.Elapsed.TotalMilliseconds:F1} ms");
    }

    [Fact]
    public void A_network_with_more_database_networks_than_the_bound_is_refused_as_unchecked()
    {
        using var lookup = _fixture.Open(_fixture.Install(GeoFixture.City), _fixture.Install(GeoFixture.Asn), GeoFixture.Unwatched with { MaxWalkSteps = 4 });
        var allowlist = new GeoAllowlist(GeoFixture.Config(null, null, allowAsns: [64501]), lookup);

        var reason = allowlist.AllowReason(IPNetwork.Parse("0.0.0.0/0"));

        Assert.Equal("it spans more than 4 networks of geoip.asn_db, too many to check against geoip.allow_asns; ban smaller prefixes", reason);
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
