using Tarpit.Linux;

namespace Tarpit.Store;

/// <summary>
/// Keeps files that root creates in a state dir owned by that dir's owner. The daemon runs as the <c>tarpit</c> user
/// (systemd's <c>StateDirectory=</c> gives it the dir), while fail2ban runs <c>tarpit-agent ban</c> as root: a
/// root-owned <c>tarpit.db</c> would leave the daemon unable to write its own store. SQLite already gives the
/// <c>-wal</c> and <c>-shm</c> files it creates as root the owner of the database file (os_unix.c,
/// <c>robustFchown</c>), so only the database file itself needs this.
/// </summary>
internal static class StateDirOwner
{
    /// <summary>
    /// When running as root and <paramref name="directory"/> belongs to another user, gives <paramref name="path"/>
    /// (just created in it) that user and group. Throws <see cref="IOException"/> when the owner cannot be read or set.
    /// </summary>
    public static void Adopt(string directory, string path)
    {
        if (!EffectiveUser.IsRoot)
        {
            return;
        }

        if (FileStatus.Of(directory, out var errno) is not { } status)
        {
            throw new IOException($"cannot read the owner of '{directory}' (errno {errno})");
        }

        var owner = status.Owner;
        if (owner.IsRoot)
        {
            return;
        }

        if (!owner.TryGive(path, out errno))
        {
            throw new IOException($"cannot give '{path}' to the owner of '{directory}' (uid {owner.UserId}, gid {owner.GroupId}; errno {errno})");
        }
    }
}
