using Tarpit.Linux;

namespace Tarpit.Tests.Linux;

public sealed class FileSystemUserThreadTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tarpit-linux-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Work_runs_on_the_thread_that_acts_as_the_owner_and_what_it_creates_is_the_owners()
    {
        var owner = FileStatus.Of(_directory)!.Value.Owner;
        using var thread = FileSystemUserThread.Start(owner, "test");
        var path = Path.Combine(_directory, "created");

        var (onThread, userId) = thread.Run(() =>
        {
            File.WriteAllText(path, "");
            return (thread.IsCurrent, (uint)Libc.SetFileSystemUserId(Libc.QueryOnly));
        });

        Assert.True(onThread);
        Assert.False(thread.IsCurrent);
        Assert.Equal(owner.UserId, userId);
        Assert.Equal(owner, FileStatus.Of(path)!.Value.Owner);
    }

    [Fact]
    public void What_the_work_throws_is_thrown_to_the_caller()
    {
        using var thread = FileSystemUserThread.Start(FileStatus.Of(_directory)!.Value.Owner, "test");

        var thrown = Assert.Throws<FileNotFoundException>(() => thread.Run(() => File.ReadAllText(Path.Combine(_directory, "absent"))));

        Assert.Contains("absent", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Work_given_after_disposal_is_refused()
    {
        var thread = FileSystemUserThread.Start(FileStatus.Of(_directory)!.Value.Owner, "test");
        thread.Dispose();

        Assert.Throws<ObjectDisposedException>(() => thread.Run(() => 1));
    }
}
