using System.Net;
using Tarpit.Geo;

namespace Tarpit.Tests.Geo;

public sealed class GeoLookupFailureTests : IDisposable
{
    private readonly GeoFixture _fixture = new();

    [Fact]
    public void Missing_city_db_is_a_warning_naming_the_file_and_lookups_still_return_the_asn()
    {
        var missing = _fixture.PathOf("GeoLite2-City.mmdb");

        using var lookup = _fixture.Open(missing, _fixture.Install(GeoFixture.Asn));
        var info = lookup.Lookup(IPAddress.Parse("192.0.2.7"));

        var warning = Assert.Single(_fixture.Warnings);
        Assert.Contains(missing, warning, StringComparison.Ordinal);
        Assert.Contains("does not exist", warning, StringComparison.Ordinal);
        Assert.Equal(new GeoInfo(null, null, 64500, "Example Attackers BV"), info);
    }

    [Fact]
    public void Both_databases_missing_are_two_warnings_and_lookups_return_null()
    {
        using var lookup = _fixture.Open(_fixture.PathOf("City.mmdb"), _fixture.PathOf("ASN.mmdb"));

        Assert.Null(lookup.Lookup(IPAddress.Parse("192.0.2.7")));
        Assert.Equal(2, _fixture.Warnings.Count);
        Assert.Contains(_fixture.Warnings, w => w.Contains("geoip.city_db", StringComparison.Ordinal));
        Assert.Contains(_fixture.Warnings, w => w.Contains("geoip.asn_db", StringComparison.Ordinal));
    }

    [Fact]
    public void Garbage_file_is_a_warning_naming_the_file_and_the_error_and_lookups_return_null()
    {
        var corrupt = _fixture.PathOf("GeoLite2-ASN.mmdb");
        File.WriteAllBytes(corrupt, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31 % 251))]);

        using var lookup = _fixture.Open(cityDb: null, corrupt);
        var info = lookup.Lookup(IPAddress.Parse("192.0.2.7"));

        Assert.Null(info);
        var warning = Assert.Single(_fixture.Warnings);
        Assert.Contains(corrupt, warning, StringComparison.Ordinal);
        Assert.Contains("cannot use geoip.asn_db", warning, StringComparison.Ordinal);
        Assert.Contains("metadata", warning, StringComparison.OrdinalIgnoreCase);
        Assert.False(lookup.HasAsn);
    }

    [Fact]
    public void Empty_file_is_a_warning_and_lookups_return_null()
    {
        var empty = _fixture.PathOf("GeoLite2-City.mmdb");
        File.WriteAllBytes(empty, []);

        using var lookup = _fixture.Open(empty, asnDb: null);

        Assert.Null(lookup.Lookup(IPAddress.Parse("192.0.2.7")));
        Assert.Contains(empty, Assert.Single(_fixture.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_database_is_a_warning_and_lookups_return_null()
    {
        var truncated = _fixture.Install(GeoFixture.City);
        var bytes = File.ReadAllBytes(truncated);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);

        using var lookup = _fixture.Open(truncated, asnDb: null);

        Assert.Null(lookup.Lookup(IPAddress.Parse("192.0.2.7")));
        Assert.Contains(truncated, Assert.Single(_fixture.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Directory_given_as_a_database_is_a_warning()
    {
        var directory = _fixture.PathOf("not-a-file.mmdb");
        Directory.CreateDirectory(directory);

        using var lookup = _fixture.Open(directory, asnDb: null);

        Assert.Null(lookup.Lookup(IPAddress.Parse("192.0.2.7")));
        Assert.Contains(directory, Assert.Single(_fixture.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Asn_database_configured_as_city_db_is_a_warning_naming_both_types()
    {
        var asnFile = _fixture.Install(GeoFixture.Asn);

        using var lookup = _fixture.Open(asnFile, asnDb: null);

        Assert.Null(lookup.Lookup(IPAddress.Parse("192.0.2.7")));
        var warning = Assert.Single(_fixture.Warnings);
        Assert.Contains("GeoLite2-ASN", warning, StringComparison.Ordinal);
        Assert.Contains("City or Country", warning, StringComparison.Ordinal);
        Assert.Contains(asnFile, warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Allowlists_without_the_database_they_need_are_warnings()
    {
        using var lookup = _fixture.Open(cityDb: null, asnDb: null, allowAsns: [15169], allowCountries: ["NL"]);

        Assert.Contains(_fixture.Warnings, w => w.Contains("geoip.allow_asns", StringComparison.Ordinal));
        Assert.Contains(_fixture.Warnings, w => w.Contains("geoip.allow_countries", StringComparison.Ordinal));
    }

    [Fact]
    public void Database_in_a_directory_that_does_not_exist_is_a_warning_and_no_watcher_is_needed_to_start()
    {
        var path = Path.Combine(_fixture.Directory, "no-such-directory", "GeoLite2-City.mmdb");

        using var lookup = _fixture.Open(path, asnDb: null, GeoLookupOptions.Default);

        Assert.Null(lookup.Lookup(IPAddress.Parse("192.0.2.7")));
        Assert.Contains(_fixture.Warnings, w => w.Contains("does not exist", StringComparison.Ordinal));
        Assert.Contains(_fixture.Warnings, w => w.Contains("cannot watch", StringComparison.Ordinal));
    }

    [Fact]
    public void Corrupt_data_section_is_reported_once_and_lookups_return_null()
    {
        var path = _fixture.Install(GeoFixture.Asn);
        var bytes = File.ReadAllBytes(path);
        var firstRecord = bytes.AsSpan().IndexOf("autonomous_system_number"u8) - 2;
        byte[] metadataMarker = [0xAB, 0xCD, 0xEF, .. "MaxMind.com"u8];
        var metadata = bytes.AsSpan().LastIndexOf(metadataMarker);
        bytes.AsSpan(firstRecord, metadata - firstRecord).Fill(0xFF);
        File.WriteAllBytes(path, bytes);
        using var lookup = _fixture.Open(cityDb: null, path);

        var first = lookup.Lookup(IPAddress.Parse("192.0.2.7"));
        var second = lookup.Lookup(IPAddress.Parse("2001:db8:2::1"));

        Assert.Null(first);
        Assert.Null(second);
        var warning = Assert.Single(_fixture.Warnings);
        Assert.Contains("is corrupt", warning, StringComparison.Ordinal);
        Assert.Contains(path, warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Records_that_do_not_fit_the_model_are_reported_once_as_undecodable_not_as_corruption()
    {
        var path = _fixture.Install(GeoFixture.AsnMistyped);
        using var lookup = _fixture.Open(cityDb: null, path);

        var first = lookup.Lookup(IPAddress.Parse("192.0.2.7"));
        var second = lookup.Lookup(IPAddress.Parse("2001:db8:2::1"));

        Assert.True(lookup.HasAsn);
        Assert.Null(first);
        Assert.Null(second);
        var warning = Assert.Single(_fixture.Warnings);
        Assert.Contains("cannot decode a record of geoip.asn_db", warning, StringComparison.Ordinal);
        Assert.Contains(path, warning, StringComparison.Ordinal);
        Assert.DoesNotContain("corrupt", warning, StringComparison.Ordinal);
    }

    public void Dispose() => _fixture.Dispose();
}
