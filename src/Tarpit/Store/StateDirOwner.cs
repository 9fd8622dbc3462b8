using Tarpit.Linux;

namespace Tarpit.Store;

/// <summary>
/// As whom the store's files in a state dir are opened. The daemon runs as the <c>tarpit</c> user (systemd's
/// <c>StateDirectory=</c> gives it the dir), while fail2ban runs <c>tarpit-agent ban</c> as root. That user can delete
/// <c>tarpit.db</c> (or its <c>-wal</c> and <c>-shm</c>) at any moment and put a symbolic or hard link in its place,
/// so root must never follow a path in that dir: creating the file and then chowning it by path gave a root-owned
/// file of the daemon's choosing (issue 14: <c>/etc/shadow</c>) to the daemon user, and SQLite opening the path as
/// root would write through such a link too.
/// <para>
/// So when root opens a store in a dir another user owns, every file operation of the store (the create of
/// <c>tarpit.db</c>, each SQLite open, statement, checkpoint and close, and so the <c>-wal</c> and <c>-shm</c> that
/// SQLite opens itself) runs on one <see cref="FileSystemUserThread"/> acting as that owner: the kernel checks it as
/// the daemon user, so a planted link reaches nothing the daemon could not reach itself, and what it creates is the
/// owner's without a chown. The rest of the verb stays root for nft. Rejected: creating with
/// <c>openat(O_NOFOLLOW | O_CREAT | O_EXCL)</c> and <c>fchown</c> on the descriptor protects only that one create,
/// since SQLite then reopens <c>tarpit.db</c> by path (resolving links first) and opens its <c>-wal</c> and
/// <c>-shm</c> itself; refusing to run as root would break fail2ban's <c>ban</c> action; dropping to the owner for the
/// whole process (setresuid) cannot be undone before the nft call that needs root.
/// </para>
/// </summary>
internal static class StateDirOwner
{
    /// <summary>The name of the thread, as <c>ps -L</c> and a debugger show it.</summary>
    private const string ThreadName = "tarpit-state-dir";

    /// <summary>
    /// When running as root and <paramref name="directory"/> belongs to another user, a thread acting as that user and
    /// group for the store's file operations; null when the store's own thread is already the right identity (the
    /// daemon as its user, or root in root's dir). Throws <see cref="IOException"/> when the owner cannot be read or
    /// taken on.
    /// </summary>
    public static FileSystemUserThread? ActAs(string directory)
    {
        if (!EffectiveUser.IsRoot)
        {
            return null;
        }

        if (FileStatus.Of(directory, out var errno) is not { } status)
        {
            throw new IOException($"cannot read the owner of '{directory}' (errno {errno})");
        }

        return status.Owner.IsRoot ? null : FileSystemUserThread.Start(status.Owner, ThreadName);
    }
}
