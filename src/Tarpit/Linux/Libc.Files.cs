using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tarpit.Linux;

internal static partial class Libc
{
    // <linux/fcntl.h>: resolve a relative path against the working directory; with an empty path, describe the
    // descriptor itself (statx(2), "By file descriptor").
    internal const int AtFdCwd = -100;
    internal const int AtEmptyPath = 0x1000;

    /// <summary>statx(2) of a path (relative to the working directory). 0, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Statx(int directoryFd, string path, int flags, uint mask, out StatxBuffer buffer);

    /// <summary>statx(2) of an open file: the descriptor with an empty path and <see cref="AtEmptyPath"/>.</summary>
    [LibraryImport(Library, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Statx(SafeFileHandle file, string path, int flags, uint mask, out StatxBuffer buffer);

    /// <summary>umask(2): sets the file mode creation mask and returns the previous one; it cannot fail.</summary>
    [LibraryImport(Library, EntryPoint = "umask")]
    internal static partial uint Umask(uint mask);
}
