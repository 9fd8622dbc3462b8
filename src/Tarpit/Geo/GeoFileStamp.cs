using System.Runtime.InteropServices;

namespace Tarpit.Geo;

/// <summary>
/// What identifies one version of a database file: inode, size and modification time. geoipupdate writes a new file
/// and renames it over the old one, so the inode changes even when size and time happen to match.
/// </summary>
internal readonly partial record struct GeoFileStamp(ulong Inode, long Length, DateTime LastWriteUtc)
{
    // statx(2): AT_FDCWD resolves a relative path against the working directory; STATX_INO asks for the inode.
    private const int AtFdCwd = -100;
    private const uint StatxInode = 0x100;

    // struct statx is 256 bytes with a fixed, architecture-independent layout; stx_ino is the __u64 at offset 32.
    private const int StatxSize = 256;
    private const int StatxInodeOffset = 32;

    /// <summary>The stamp of the file at <paramref name="path"/>, or null when there is no such file.</summary>
    public static GeoFileStamp? Read(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return null;
        }

        return new GeoFileStamp(ReadInode(path), file.Length, file.LastWriteTimeUtc);
    }

    /// <summary>The inode number, or 0 where statx is not available (size and time still tell versions apart).</summary>
    private static unsafe ulong ReadInode(string path)
    {
        var buffer = stackalloc byte[StatxSize];
        try
        {
            return Statx(AtFdCwd, path, 0, StatxInode, buffer) == 0
                ? *(ulong*)(buffer + StatxInodeOffset)
                : 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return 0;
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directoryFd, string path, int flags, uint mask, byte* buffer);
}
