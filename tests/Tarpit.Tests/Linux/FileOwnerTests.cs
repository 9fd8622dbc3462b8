using Tarpit.Linux;

namespace Tarpit.Tests.Linux;

public sealed class FileOwnerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tarpit-linux-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Giving_a_file_to_its_own_owner_succeeds_and_changes_nothing()
    {
        var path = Path.Combine(_directory, "mine");
        File.WriteAllText(path, "");
        var owner = FileStatus.Of(path)!.Value.Owner;

        Assert.True(owner.TryGive(path, out var errno));
        Assert.Equal(0, errno);
        Assert.Equal(owner, FileStatus.Of(path)!.Value.Owner);
    }

    [Fact]
    public void Giving_a_missing_file_fails_with_ENOENT()
    {
        var owner = new FileOwner(EffectiveUser.Id, 0);

        Assert.False(owner.TryGive(Path.Combine(_directory, "absent"), out var errno));
        Assert.Equal(2, errno);
    }
}
