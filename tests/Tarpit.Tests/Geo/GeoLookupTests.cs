using System.Net;
using Tarpit.Geo;
using Tarpit.Tests.Tarpits;

namespace Tarpit.Tests.Geo;

public sealed class GeoLookupTests : IDisposable
{
    private readonly GeoFixture _fixture = new();

    [Theory]
    [InlineData("192.0.2.7", "NL", "Netherlands", 64500L, "Example Attackers BV")]
    [InlineData("198.51.100.20", "DE", "Germany", 64501L, "Innocent GmbH")]
    [InlineData("203.0.113.5", "US", "United States", 64502L, "Crawler Inc")]
    [InlineData("2001:db8:1::10", "NL", "Netherlands", 64500L, "Example Attackers BV")]
    [InlineData("2001:db8:2:0:ffff::1", "DE", "Germany", 64501L, "Innocent GmbH")]
    public void Ipv4_and_ipv6_addresses_are_enriched_with_country_and_asn(
        string address, string countryCode, string countryName, long asn, string organization)
    {
        using var lookup = _fixture.Open(_fixture.Install(GeoFixture.City), _fixture.Install(GeoFixture.Asn));

        var info = lookup.Lookup(IPAddress.Parse(address));

        Assert.Equal(new GeoInfo(countryCode, countryName, asn, organization), info);
        Assert.Empty(_fixture.Warnings);
    }

    [Fact]
    public void Ipv4_mapped_ipv6_address_is_looked_up_as_ipv4()
    {
        using var lookup = _fixture.Open(_fixture.Install(GeoFixture.City), _fixture.Install(GeoFixture.Asn));

        var info = lookup.Lookup(IPAddress.Parse("::ffff:192.0.2.7"));

        Assert.Equal(new GeoInfo("NL", "Netherlands", 64500, "Example Attackers BV"), info);
    }

    [Fact]
    public void A_country_database_serves_as_city_db()
    {
        using var lookup = _fixture.Open(_fixture.Install(GeoFixture.Country), asnDb: null);

        var info = lookup.Lookup(IPAddress.Parse("203.0.113.9"));

        Assert.Equal(new GeoInfo("US", "United States", null, null), info);
        Assert.True(lookup.HasLocation);
        Assert.False(lookup.HasAsn);
    }

    [Fact]
    public void With_only_an_asn_database_the_answer_has_asn_and_no_country()
    {
        using var lookup = _fixture.Open(cityDb: null, _fixture.Install(GeoFixture.Asn));

        var info = lookup.Lookup(IPAddress.Parse("2001:db8:1::1"));

        Assert.Equal(new GeoInfo(null, null, 64500, "Example Attackers BV"), info);
    }

    [Theory]
    [InlineData("192.0.3.1")]
    [InlineData("8.8.8.8")]
    [InlineData("2001:db8:3::1")]
    public void Address_no_database_knows_returns_null(string address)
    {
        using var lookup = _fixture.Open(_fixture.Install(GeoFixture.City), _fixture.Install(GeoFixture.Asn));

        Assert.Null(lookup.Lookup(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("127.0.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("::ffff:10.0.0.1")]
    public void Private_and_reserved_addresses_return_null_without_a_lookup(string address)
    {
        using var lookup = _fixture.Open(_fixture.Install(GeoFixture.City), _fixture.Install(GeoFixture.Asn));

        var info = lookup.Lookup(IPAddress.Parse(address));

        Assert.Null(info);
        Assert.Equal(0, lookup.CachedCount);
    }

    [Fact]
    public void Without_configured_databases_lookups_return_null_and_nothing_is_logged()
    {
        using var lookup = _fixture.Open(cityDb: null, asnDb: "  ");

        Assert.Null(lookup.Lookup(IPAddress.Parse("192.0.2.7")));
        Assert.False(lookup.HasLocation);
        Assert.False(lookup.HasAsn);
        Assert.Empty(_fixture.Log.Events);
    }

    [Fact]
    public void Disposed_lookup_returns_null()
    {
        var lookup = _fixture.Open(_fixture.Install(GeoFixture.City), _fixture.Install(GeoFixture.Asn));
        Assert.NotNull(lookup.Lookup(IPAddress.Parse("192.0.2.7")));

        lookup.Dispose();

        Assert.Null(lookup.Lookup(IPAddress.Parse("192.0.2.7")));
    }

    [Fact]
    public void Cache_never_holds_more_answers_than_its_capacity()
    {
        const int capacity = 8;
        using var lookup = _fixture.Open(
            _fixture.Install(GeoFixture.City),
            _fixture.Install(GeoFixture.Asn),
            GeoFixture.Unwatched with { CacheCapacity = capacity });

        for (var host = 1; host <= 100; host++)
        {
            Assert.Equal(64500, lookup.Lookup(IPAddress.Parse($"192.0.2.{host}"))?.Asn);
        }

        Assert.Equal(capacity, lookup.CachedCount);
    }

    [Fact]
    public void Unknown_addresses_are_cached_too()
    {
        using var lookup = _fixture.Open(_fixture.Install(GeoFixture.City), _fixture.Install(GeoFixture.Asn));

        Assert.Null(lookup.Lookup(IPAddress.Parse("8.8.8.8")));
        Assert.Null(lookup.Lookup(IPAddress.Parse("8.8.8.8")));

        Assert.Equal(1, lookup.CachedCount);
    }

    [Fact]
    public void Cache_is_bounded_by_the_default_capacity()
    {
        using var lookup = _fixture.Open(_fixture.Install(GeoFixture.City), _fixture.Install(GeoFixture.Asn));

        for (var host = 1; host <= GeoLookupOptions.DefaultCacheCapacity + 1; host++)
        {
            lookup.Lookup(IPAddress.Parse($"2001:db8:1::{host:x}"));
        }

        Assert.Equal(GeoLookupOptions.DefaultCacheCapacity, lookup.CachedCount);
    }

    [Fact]
    public void Answer_reads_as_country_asn_and_organisation()
    {
        Assert.Equal("NL AS64500 Example Attackers BV", new GeoInfo("NL", "Netherlands", 64500, "Example Attackers BV").ToString());
        Assert.Equal("AS64501", new GeoInfo(null, null, 64501, null).ToString());
    }

    [Fact]
    public void Enriched_log_carries_country_asn_and_organisation_as_properties()
    {
        using var lookup = _fixture.Open(_fixture.Install(GeoFixture.City), _fixture.Install(GeoFixture.Asn));
        var sink = new CollectingLogSink();

        lookup.Enrich(sink.CreateLogger(), IPAddress.Parse("192.0.2.7")).Information("Banned {RemoteIP}", "192.0.2.7");

        var properties = Assert.Single(sink.Events).Properties;
        Assert.Equal("\"NL\"", properties["CountryCode"].ToString());
        Assert.Equal("64500", properties["Asn"].ToString());
        Assert.Equal("\"Example Attackers BV\"", properties["AsnOrganization"].ToString());
    }

    [Fact]
    public void Enriching_with_an_unknown_address_adds_no_properties()
    {
        using var lookup = _fixture.Open(_fixture.Install(GeoFixture.City), _fixture.Install(GeoFixture.Asn));
        var sink = new CollectingLogSink();

        lookup.Enrich(sink.CreateLogger(), IPAddress.Parse("10.0.0.1")).Information("Banned {RemoteIP}", "10.0.0.1");

        Assert.Equal(["RemoteIP"], Assert.Single(sink.Events).Properties.Keys);
    }

    public void Dispose() => _fixture.Dispose();
}
