using System.Net;
using Tarpit.Geo;

namespace Tarpit.Tests.Geo;

public sealed class GeoCacheTests
{
    private static readonly GeoInfo Netherlands = new("NL", "Netherlands", 64500, "Example Attackers BV");

    [Fact]
    public void Least_recently_used_answer_is_evicted_when_full()
    {
        var cache = new GeoCache(capacity: 2);
        var a = IPAddress.Parse("192.0.2.1");
        var b = IPAddress.Parse("192.0.2.2");
        var c = IPAddress.Parse("192.0.2.3");
        cache.Add(a, Netherlands);
        cache.Add(b, null);
        Assert.True(cache.TryGet(a, out _));

        cache.Add(c, Netherlands);

        Assert.True(cache.TryGet(a, out var kept));
        Assert.Equal(Netherlands, kept);
        Assert.False(cache.TryGet(b, out _));
        Assert.True(cache.TryGet(c, out _));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Adding_an_address_again_replaces_its_answer_without_growing()
    {
        var cache = new GeoCache(capacity: 2);
        var a = IPAddress.Parse("2001:db8:1::1");
        cache.Add(a, null);

        cache.Add(a, Netherlands);

        Assert.True(cache.TryGet(a, out var info));
        Assert.Equal(Netherlands, info);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void Capacity_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GeoCache(0));
    }
}
