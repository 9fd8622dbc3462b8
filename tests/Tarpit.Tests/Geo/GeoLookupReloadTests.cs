using System.Net;
using Tarpit.Geo;

namespace Tarpit.Tests.Geo;

public sealed class GeoLookupReloadTests : IDisposable
{
    private static readonly IPAddress Attacker = IPAddress.Parse("192.0.2.7");
    private static readonly IPAddress AttackerV6 = IPAddress.Parse("2001:db8:1::7");
    private static readonly GeoInfo Before = new("NL", "Netherlands", 64500, "Example Attackers BV");
    private static readonly GeoInfo After = new("BE", "Belgium", 64510, "Relocated Attackers SRL");

    private readonly GeoFixture _fixture = new();

    [Fact]
    public async Task Database_renamed_over_the_old_one_is_picked_up_by_the_watcher_without_a_restart()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var lookup = _fixture.Open(
            _fixture.Install(GeoFixture.City),
            _fixture.Install(GeoFixture.Asn),
            GeoLookupOptions.Default);
        Assert.Equal(Before, lookup.Lookup(Attacker));

        _fixture.ReplaceByRename(GeoFixture.CityUpdated, GeoFixture.City);
        _fixture.ReplaceByRename(GeoFixture.AsnUpdated, GeoFixture.Asn);

        while (lookup.Lookup(Attacker) != After)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }

        Assert.Equal(After, lookup.Lookup(AttackerV6));
        Assert.Empty(_fixture.Warnings);
    }

    [Fact]
    public void Replacement_is_picked_up_by_the_slow_check_when_no_watcher_event_arrives()
    {
        using var lookup = _fixture.Open(_fixture.Install(GeoFixture.City), _fixture.Install(GeoFixture.Asn));
        Assert.Equal(Before, lookup.Lookup(Attacker));
        _fixture.ReplaceByRename(GeoFixture.CityUpdated, GeoFixture.City);
        _fixture.ReplaceByRename(GeoFixture.AsnUpdated, GeoFixture.Asn);
        _fixture.Time.Advance(GeoLookupOptions.DefaultPollInterval - TimeSpan.FromSeconds(1));
        Assert.Equal(Before, lookup.Lookup(Attacker));

        _fixture.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(After, lookup.Lookup(Attacker));
        Assert.Equal(After, lookup.Lookup(AttackerV6));
    }

    [Fact]
    public void Reload_drops_cached_answers()
    {
        using var lookup = _fixture.Open(_fixture.Install(GeoFixture.City), _fixture.Install(GeoFixture.Asn));
        lookup.Lookup(Attacker);
        lookup.Lookup(IPAddress.Parse("198.51.100.1"));
        Assert.Equal(2, lookup.CachedCount);

        _fixture.ReplaceByRename(GeoFixture.AsnUpdated, GeoFixture.Asn);
        _fixture.Time.Advance(GeoLookupOptions.DefaultPollInterval);

        Assert.Equal(0, lookup.CachedCount);
    }

    [Fact]
    public void Database_that_appears_after_start_is_loaded()
    {
        var path = _fixture.PathOf(GeoFixture.City);
        using var lookup = _fixture.Open(path, asnDb: null);
        Assert.Null(lookup.Lookup(Attacker));

        _fixture.ReplaceByRename(GeoFixture.City, GeoFixture.City);
        _fixture.Time.Advance(GeoLookupOptions.DefaultPollInterval);

        Assert.Equal("NL", lookup.Lookup(Attacker)?.CountryCode);
        Assert.True(lookup.HasLocation);
    }

    [Fact]
    public void Corrupt_replacement_is_a_warning_and_the_previous_version_keeps_serving()
    {
        using var lookup = _fixture.Open(cityDb: null, _fixture.Install(GeoFixture.Asn));
        var garbage = _fixture.PathOf("garbage.tmp");
        File.WriteAllText(garbage, "this is not a MaxMind database");

        File.Move(garbage, _fixture.PathOf(GeoFixture.Asn), overwrite: true);
        _fixture.Time.Advance(GeoLookupOptions.DefaultPollInterval);

        Assert.Equal(64500, lookup.Lookup(Attacker)?.Asn);
        var warning = Assert.Single(_fixture.Warnings);
        Assert.Contains(_fixture.PathOf(GeoFixture.Asn), warning, StringComparison.Ordinal);
        Assert.Contains("keeping the previously loaded version", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Deleted_file_keeps_the_loaded_version_with_a_warning()
    {
        using var lookup = _fixture.Open(_fixture.Install(GeoFixture.City), asnDb: null);

        File.Delete(_fixture.PathOf(GeoFixture.City));
        _fixture.Time.Advance(GeoLookupOptions.DefaultPollInterval);

        Assert.Equal("NL", lookup.Lookup(Attacker)?.CountryCode);
        Assert.Contains("disappeared", Assert.Single(_fixture.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Unchanged_file_is_not_reopened_by_the_slow_check()
    {
        using var lookup = _fixture.Open(_fixture.Install(GeoFixture.City), asnDb: null);
        var loads = _fixture.Log.Events.Count;

        _fixture.Time.Advance(GeoLookupOptions.DefaultPollInterval * 3);

        Assert.Equal(loads, _fixture.Log.Events.Count);
    }

    [Fact]
    public async Task Lookups_racing_reloads_always_get_an_answer_and_never_touch_a_disposed_reader()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var lookup = _fixture.Open(
            _fixture.Install(GeoFixture.City),
            _fixture.Install(GeoFixture.Asn),
            GeoFixture.Unwatched with { CacheCapacity = 1 });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var addresses = Enumerable.Range(1, 50).Select(host => IPAddress.Parse($"192.0.2.{host}")).ToArray();
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(
            () =>
            {
                var answers = 0;
                while (!stop.IsCancellationRequested)
                {
                    var info = lookup.Lookup(addresses[answers % addresses.Length]);
                    // The two files reload independently, so one answer may mix an old country with a new AS.
                    Assert.NotNull(info);
                    Assert.Contains(info.CountryCode, new[] { Before.CountryCode, After.CountryCode });
                    Assert.Contains(info.Asn, new[] { Before.Asn, After.Asn });
                    answers++;
                }

                return answers;
            },
            timeout.Token)).ToArray();

        for (var reload = 0; reload < 40; reload++)
        {
            var (city, asn) = reload % 2 == 0
                ? (GeoFixture.CityUpdated, GeoFixture.AsnUpdated)
                : (GeoFixture.City, GeoFixture.Asn);
            _fixture.ReplaceByRename(city, GeoFixture.City);
            _fixture.ReplaceByRename(asn, GeoFixture.Asn);
            _fixture.Time.Advance(GeoLookupOptions.DefaultPollInterval);
            await Task.Delay(TimeSpan.FromMilliseconds(5), timeout.Token);
        }

        await stop.CancelAsync();
        var counts = await Task.WhenAll(readers);

        Assert.All(counts, count => Assert.True(count > 0));
        Assert.Empty(_fixture.Warnings);
    }

    public void Dispose() => _fixture.Dispose();
}
