using Tarpit.Linux;

namespace Tarpit.Tests.Linux;

public sealed class FileStatusTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tarpit-linux-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Length_and_modification_time_are_those_dotnet_reports()
    {
        var path = Path.Combine(_directory, "city.mmdb");
        File.WriteAllBytes(path, new byte[1234]);
        File.SetLastWriteTimeUtc(path, new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc).AddTicks(1234567));

        var status = FileStatus.Of(path)!.Value;

        var file = new FileInfo(path);
        Assert.Equal(file.Length, status.Length);
        Assert.Equal(file.LastWriteTimeUtc, status.LastWriteUtc);
        Assert.Equal(DateTimeKind.Utc, status.LastWriteUtc.Kind);
        Assert.False(status.IsDirectory);
    }

    [Fact]
    public void A_file_this_process_creates_is_owned_by_its_effective_user()
    {
        var path = Path.Combine(_directory, "mine");
        File.WriteAllText(path, "");

        var status = FileStatus.Of(path)!.Value;

        Assert.Equal(EffectiveUser.Id, status.Owner.UserId);
    }

    [Fact]
    public void A_directory_is_reported_as_one()
    {
        Assert.True(FileStatus.Of(_directory)!.Value.IsDirectory);
    }

    [Fact]
    public void A_missing_path_has_no_status_and_says_ENOENT()
    {
        // <asm-generic/errno-base.h>: ENOENT 2.
        Assert.Null(FileStatus.Of(Path.Combine(_directory, "absent"), out var errno));
        Assert.Equal(2, errno);
    }
}
