using System.Diagnostics;
using Tarpit.Linux;

namespace Tarpit.Tests.Linux;

public sealed class FileIdentityTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tarpit-linux-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_file_has_the_same_identity_by_path_and_by_open_handle()
    {
        var path = Write("a.log", "one\n");
        using var stream = File.OpenRead(path);

        var byPath = FileIdentity.Of(path);
        var byHandle = FileIdentity.Of(stream.SafeFileHandle);

        Assert.NotNull(byPath);
        Assert.Equal(byPath, byHandle);
    }

    [Fact]
    public void The_identity_is_the_device_and_inode_that_stat_reports()
    {
        var path = Write("a.log", "one\n");

        var identity = FileIdentity.Of(path)!.Value;

        Assert.Equal(Stat(path), $"{identity.Device} {identity.Inode}");
    }

    [Fact]
    public void A_file_that_grew_keeps_its_identity()
    {
        var path = Write("a.log", "one\n");
        var before = FileIdentity.Of(path);

        File.AppendAllText(path, "two\n");

        Assert.Equal(before, FileIdentity.Of(path));
    }

    [Fact]
    public void A_file_renamed_over_the_path_has_a_new_identity_while_the_open_handle_keeps_the_old_one()
    {
        var path = Write("a.log", "one\n");
        using var stream = File.OpenRead(path);
        var before = FileIdentity.Of(path);
        var replacement = Write("a.log.new", "one\n");

        File.Move(replacement, path, overwrite: true);

        Assert.NotEqual(before, FileIdentity.Of(path));
        Assert.Equal(before, FileIdentity.Of(stream.SafeFileHandle));
    }

    [Fact]
    public void A_missing_path_has_no_identity()
    {
        Assert.Null(FileIdentity.Of(Path.Combine(_directory, "absent.log")));
    }

    [Fact]
    public void A_closed_handle_has_no_identity()
    {
        var stream = File.OpenRead(Write("a.log", "one\n"));
        var handle = stream.SafeFileHandle;
        stream.Dispose();

        Assert.Null(FileIdentity.Of(handle));
    }

    [Theory]
    [InlineData(8u, 1u, 0x0801UL)]
    [InlineData(0u, 45u, 0x2DUL)]
    [InlineData(259u, 0x12345u, 0x0012_3103_45UL)]
    [InlineData(0x1000u, 0u, 0x0000_1000_0000_0000UL)]
    public void The_device_number_is_built_as_glibc_makedev_builds_it(uint major, uint minor, ulong expected)
    {
        Assert.Equal(expected, FileIdentity.DeviceNumber(major, minor));
    }

    private string Write(string name, string contents)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, contents);
        return path;
    }

    /// <summary>coreutils' own answer: <c>stat --format='%d %i'</c> (device number in decimal, inode).</summary>
    private static string Stat(string path)
    {
        var start = new ProcessStartInfo("stat", ["--format=%d %i", path]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        Assert.True(process.WaitForExit(10_000), "stat did not exit");
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
