using System.Runtime.InteropServices;

namespace Tarpit.Store;

/// <summary>
/// Keeps files that root creates in a state dir owned by that dir's owner. The daemon runs as the <c>tarpit</c> user
/// (systemd's <c>StateDirectory=</c> gives it the dir), while fail2ban runs <c>tarpit-agent ban</c> as root: a
/// root-owned <c>tarpit.db</c> would leave the daemon unable to write its own store. SQLite already gives the
/// <c>-wal</c> and <c>-shm</c> files it creates as root the owner of the database file (os_unix.c,
/// <c>robustFchown</c>), so only the database file itself needs this.
/// </summary>
internal static partial class StateDirOwner
{
    // struct statx (linux/stat.h) has the same layout on every architecture: stx_uid at 20, stx_gid at 24.
    private const int StatxSize = 256;
    private const int StatxUidOffset = 20;
    private const int StatxGidOffset = 24;
    private const uint StatxUid = 0x8;
    private const uint StatxGid = 0x10;
    private const int AtFdCwd = -100;

    /// <summary>
    /// When running as root and <paramref name="directory"/> belongs to another user, gives <paramref name="path"/>
    /// (just created in it) that user and group. Throws <see cref="IOException"/> when the owner cannot be read or set.
    /// </summary>
    public static unsafe void Adopt(string directory, string path)
    {
        if (GetEffectiveUserId() != 0)
        {
            return;
        }

        var buffer = stackalloc byte[StatxSize];
        if (Statx(AtFdCwd, directory, 0, StatxUid | StatxGid, buffer) != 0)
        {
            throw new IOException($"cannot read the owner of '{directory}' (errno {Marshal.GetLastPInvokeError()})");
        }

        var uid = *(uint*)(buffer + StatxUidOffset);
        var gid = *(uint*)(buffer + StatxGidOffset);
        if (uid == 0)
        {
            return;
        }

        if (Chown(path, uid, gid) != 0)
        {
            throw new IOException($"cannot give '{path}' to the owner of '{directory}' (uid {uid}, gid {gid}; errno {Marshal.GetLastPInvokeError()})");
        }
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Statx(int directoryFd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Chown(string path, uint owner, uint group);
}
