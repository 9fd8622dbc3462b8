using System.Runtime.InteropServices;

namespace Tarpit.Linux;

internal static partial class Libc
{
    /// <summary>setfsuid(2) and setfsgid(2) with this argument change nothing and return the current value.</summary>
    internal const uint QueryOnly = uint.MaxValue;

    /// <summary>geteuid(2): always succeeds.</summary>
    [LibraryImport(Library, EntryPoint = "geteuid")]
    internal static partial uint GetEffectiveUserId();

    /// <summary>
    /// setfsuid(2): the calling thread's filesystem user ID (glibc calls the system call for this thread only). Returns
    /// the previous value whether or not it succeeded; call it again with <see cref="QueryOnly"/> to check.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "setfsuid")]
    internal static partial int SetFileSystemUserId(uint userId);

    /// <summary>setfsgid(2): as <see cref="SetFileSystemUserId"/>, for the filesystem group ID.</summary>
    [LibraryImport(Library, EntryPoint = "setfsgid")]
    internal static partial int SetFileSystemGroupId(uint groupId);
}
