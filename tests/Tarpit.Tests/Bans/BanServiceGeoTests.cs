using System.Net;
using NSubstitute;
using Serilog.Events;
using Tarpit.Bans;
using Tarpit.Firewall;
using Tarpit.Geo;
using Tarpit.Store;
using Tarpit.Tests.Firewall;
using Tarpit.Tests.Geo;
using Tarpit.Tests.Store;

namespace Tarpit.Tests.Bans;

/// <summary>
/// The ban service with the real fixture databases: geoip.allow_asns / allow_countries on every path, and the
/// country and AS stored with each ban.
/// </summary>
public sealed class BanServiceGeoTests : IDisposable
{
    private readonly GeoFixture _geo = new();
    private readonly TempStateDir _dir = new();
    private readonly IFirewallChangeSink _changes = Substitute.For<IFirewallChangeSink>();
    private readonly BanStore _store;
    private readonly GeoLookup _lookup;
    private readonly BanService _service;

    public BanServiceGeoTests()
    {
        _store = BanStore.Open(_dir.Path);
        var config = GeoFixture.Config(_geo.Install(GeoFixture.City), _geo.Install(GeoFixture.Asn), allowAsns: [64502], allowCountries: ["DE"]);
        _lookup = GeoLookup.Open(config, _geo.Log.CreateLogger(), _geo.Time, GeoFixture.Unwatched);
        _service = new BanService(FirewallTestConfig.Firewall("127.0.0.0/8"), _store, _changes, _geo.Time, _geo.Log.CreateLogger(), _lookup, new GeoAllowlist(config, _lookup));
    }

    public void Dispose()
    {
        _lookup.Dispose();
        _dir.Dispose();
        _geo.Dispose();
    }

    [Theory]
    [InlineData("sshd", "203.0.113.80/32", "AS64502 (Crawler Inc) is in geoip.allow_asns")]
    [InlineData("decoy", "203.0.113.81/32", "AS64502 (Crawler Inc) is in geoip.allow_asns")]
    [InlineData("fail2ban", "198.51.100.20/32", "country DE (Germany) is in geoip.allow_countries")]
    [InlineData("manual", "2001:db8:2::20/128", "country DE (Germany) is in geoip.allow_countries")]
    [InlineData("manual", "198.51.100.0/24", "country DE (Germany) is in geoip.allow_countries")]
    [InlineData("manual", "198.51.0.0/16", "it overlaps 198.51.100.0/24, where country DE (Germany) is in geoip.allow_countries")]
    [InlineData("manual", "203.0.0.0/16", "it overlaps 203.0.113.0/24, where AS64502 (Crawler Inc) is in geoip.allow_asns")]
    public async Task A_target_in_a_geoip_allowlist_is_refused_on_every_path_with_the_rule_named(string source, string target, string rule)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var outcome = await _service.BanAsync(new BanRequest(IPNetwork.Parse(target), source, "test"), cts.Token);

        Assert.False(outcome.Applied);
        Assert.Equal(BanRefusal.Allowlisted, outcome.Refusal);
        Assert.Contains(rule, outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_store.List(all: true, _geo.Time.GetUtcNow()));
        Assert.Empty(_changes.ReceivedCalls());
        var warning = Assert.Single(_geo.Log.Events, e => e.Level == LogEventLevel.Warning && e.MessageTemplate.Text.StartsWith("Refused", StringComparison.Ordinal));
        Assert.Contains(rule, warning.RenderMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_16_with_no_allowlisted_network_inside_is_banned()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var outcome = await _service.BanAsync(new BanRequest(IPNetwork.Parse("192.0.0.0/16"), "manual", "test"), cts.Token);

        Assert.True(outcome.Applied, outcome.Message);
        Assert.Equal(IPNetwork.Parse("192.0.0.0/16"), Assert.Single(_store.List(all: true, _geo.Time.GetUtcNow())).Target);
    }

    [Theory]
    [InlineData("203.0.113.80", true)]
    [InlineData("::ffff:198.51.100.20", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("192.0.2.7", false)]
    [InlineData("2001:db8:1::7", false)]
    public void IsAllowed_answers_for_firewall_allow_and_both_geoip_lists(string address, bool allowed)
    {
        Assert.Equal(allowed, _service.IsAllowed(IPAddress.Parse(address)));
    }

    [Fact]
    public async Task A_ban_stores_and_logs_the_country_and_as_of_its_target()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var outcome = await _service.BanAsync(new BanRequest(IPNetwork.Parse("192.0.2.7/32"), "sshd", "5 failures"), cts.Token);

        Assert.True(outcome.Applied);
        var ban = Assert.Single(_store.Active(_geo.Time.GetUtcNow()));
        Assert.Equal(new GeoInfo("NL", "Netherlands", 64500, "Example Attackers BV"), ban.Geo);
        var banned = Assert.Single(_geo.Log.Events, e => e.MessageTemplate.Text.StartsWith("Banned", StringComparison.Ordinal));
        Assert.Equal(("\"NL\"", "64500"), (banned.Properties["CountryCode"].ToString(), banned.Properties["Asn"].ToString()));
    }

    [Fact]
    public async Task A_ban_of_an_address_the_databases_do_not_know_is_stored_without_geo()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await _service.BanAsync(new BanRequest(IPNetwork.Parse("2001:db8:9::7/128"), "sshd", "x"), cts.Token);

        Assert.Null(Assert.Single(_store.Active(_geo.Time.GetUtcNow())).Geo);
    }

    [Fact]
    public async Task A_ban_after_the_database_is_replaced_carries_the_new_country()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _service.BanAsync(new BanRequest(IPNetwork.Parse("192.0.2.7/32"), "sshd", "x"), cts.Token);

        _geo.ReplaceByRename(GeoFixture.CityUpdated, GeoFixture.City);
        _geo.ReplaceByRename(GeoFixture.AsnUpdated, GeoFixture.Asn);
        _geo.Time.Advance(GeoLookupOptions.DefaultPollInterval);
        await _service.BanAsync(new BanRequest(IPNetwork.Parse("192.0.2.8/32"), "sshd", "x"), cts.Token);

        var bans = _store.Active(_geo.Time.GetUtcNow()).ToDictionary(b => b.Target.ToString(), b => b.Geo);
        Assert.Equal(new GeoInfo("NL", "Netherlands", 64500, "Example Attackers BV"), bans["192.0.2.7/32"]);
        Assert.Equal(new GeoInfo("BE", "Belgium", 64510, "Relocated Attackers SRL"), bans["192.0.2.8/32"]);
    }
}
