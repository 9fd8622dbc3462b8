using MaxMind.Db;
using Tarpit.Geo;

namespace Tarpit.Tests.Geo;

public sealed class GeoReaderHandleTests
{
    [Fact]
    public void Retired_reader_is_disposed_only_after_the_last_lookup_releases_it()
    {
        var path = GeoFixture.Source(GeoFixture.Asn);
        var handle = new GeoReaderHandle(new Reader(path, FileAccessMode.MemoryMapped));
        Assert.True(handle.TryAcquire());

        handle.Release();

        Assert.False(handle.IsDisposed);
        var address = System.Net.IPAddress.Parse("192.0.2.1");
        var asn = handle.Reader.Find<MaxMind.GeoIP2.Responses.AsnResponse>(address, GeoLookup.Injectables(address));
        Assert.Equal(64500, asn?.AutonomousSystemNumber);

        handle.Release();

        Assert.True(handle.IsDisposed);
        Assert.False(handle.TryAcquire());
    }

    [Fact]
    public void Releasing_more_often_than_acquired_is_a_bug_that_throws()
    {
        var path = GeoFixture.Source(GeoFixture.Asn);
        var handle = new GeoReaderHandle(new Reader(path, FileAccessMode.MemoryMapped));
        handle.Release();

        Assert.Throws<InvalidOperationException>(handle.Release);
    }

    [Fact]
    public void Corruption_is_reported_once_per_handle()
    {
        var path = GeoFixture.Source(GeoFixture.Asn);
        var handle = new GeoReaderHandle(new Reader(path, FileAccessMode.MemoryMapped));

        Assert.True(handle.TryClaimCorruptionReport());
        Assert.False(handle.TryClaimCorruptionReport());
        handle.Release();
    }
}
