using System.Runtime.InteropServices;

namespace Tarpit.Linux;

/// <summary>The user and group that own a file.</summary>
internal readonly record struct FileOwner(uint UserId, uint GroupId)
{
    public bool IsRoot => UserId == 0;

    /// <summary>Gives <paramref name="path"/> to this user and group (chown(2)); false with the errno when refused.</summary>
    public bool TryGive(string path, out int errno)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Libc.Chown(path, UserId, GroupId) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return false;
        }

        errno = 0;
        return true;
    }
}
