using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tarpit.Detection.Sources;

/// <summary>
/// A file's device and inode: how a tail tells "the same file grew" from "a new file took its name" (logrotate's
/// <c>create</c>). .NET exposes neither, so this reads them with <c>stat(2)</c>/<c>fstat(2)</c>; <c>st_dev</c> and
/// <c>st_ino</c> are the first two 64-bit fields of <c>struct stat</c> on x86-64 and arm64 Linux.
/// </summary>
internal readonly partial record struct FileIdentity(ulong Device, ulong Inode)
{
    /// <summary>Larger than <c>struct stat</c> on every 64-bit Linux ABI (144 bytes on x86-64, 128 on arm64).</summary>
    private const int StatBufferBytes = 256;

    public static unsafe bool TryOfPath(string path, out FileIdentity identity)
    {
        var buffer = stackalloc byte[StatBufferBytes];
        identity = default;
        if (Stat(path, buffer) != 0)
        {
            return false;
        }

        identity = new FileIdentity(*(ulong*)buffer, *(ulong*)(buffer + 8));
        return true;
    }

    public static unsafe bool TryOf(SafeFileHandle handle, out FileIdentity identity)
    {
        var buffer = stackalloc byte[StatBufferBytes];
        identity = default;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (FStat((int)handle.DangerousGetHandle(), buffer) != 0)
            {
                return false;
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        identity = new FileIdentity(*(ulong*)buffer, *(ulong*)(buffer + 8));
        return true;
    }

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Stat(string path, byte* buffer);

    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static unsafe partial int FStat(int fd, byte* buffer);
}
