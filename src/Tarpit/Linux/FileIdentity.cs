using Microsoft.Win32.SafeHandles;

namespace Tarpit.Linux;

/// <summary>
/// A file's device and inode: what tells "the same file grew" from "a new file took its name" (logrotate's
/// <c>create</c>, geoipupdate renaming a new database over the old one). .NET exposes neither; this reads them with
/// statx(2), from a path or from an open handle.
/// </summary>
internal readonly record struct FileIdentity(ulong Device, ulong Inode)
{
    /// <summary>The identity of the file at <paramref name="path"/>, or null when there is none.</summary>
    public static FileIdentity? Of(string path) => FileStatus.Of(path)?.Identity;

    /// <summary>The identity of an open file, or null when the handle cannot be read.</summary>
    public static FileIdentity? Of(SafeFileHandle handle) => FileStatus.Of(handle)?.Identity;

    /// <summary>
    /// The device number as <c>st_dev</c> carries it (glibc's <c>makedev</c>, &lt;sys/sysmacros.h&gt;), from statx's
    /// separate major and minor: minor bits 0-7 and 20-43, major bits 8-19 and 44-63.
    /// </summary>
    internal static ulong DeviceNumber(uint major, uint minor) =>
        ((ulong)(major & 0xFFFFF000u) << 32) | ((ulong)(major & 0x00000FFFu) << 8)
        | ((ulong)(minor & 0xFFFFFF00u) << 12) | (minor & 0x000000FFu);
}
