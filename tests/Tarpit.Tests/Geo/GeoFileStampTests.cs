using Tarpit.Geo;

namespace Tarpit.Tests.Geo;

public sealed class GeoFileStampTests : IDisposable
{
    private readonly GeoFixture _fixture = new();

    [Fact]
    public void Missing_file_has_no_stamp()
    {
        Assert.Null(GeoFileStamp.Read(_fixture.PathOf("absent.mmdb")));
    }

    [Fact]
    public void Stamp_is_stable_while_the_file_is_untouched()
    {
        var path = _fixture.Install(GeoFixture.City);

        Assert.Equal(GeoFileStamp.Read(path), GeoFileStamp.Read(path));
    }

    [Fact]
    public void Rename_over_changes_the_inode_even_with_the_same_size_and_time()
    {
        var path = _fixture.Install(GeoFixture.City);
        var before = GeoFileStamp.Read(path)!.Value;
        var replacement = _fixture.Install(GeoFixture.City, "replacement.tmp");
        File.SetLastWriteTimeUtc(replacement, before.LastWriteUtc);

        File.Move(replacement, path, overwrite: true);
        var after = GeoFileStamp.Read(path)!.Value;

        Assert.NotEqual(0UL, before.Identity.Inode);
        Assert.Equal(before.Length, after.Length);
        Assert.Equal(before.LastWriteUtc, after.LastWriteUtc);
        Assert.NotEqual(before.Identity, after.Identity);
        Assert.NotEqual(before, after);
    }

    public void Dispose() => _fixture.Dispose();
}
