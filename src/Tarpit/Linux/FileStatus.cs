using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tarpit.Linux;

/// <summary>
/// What one statx(2) call says about a file: its identity, owner, size, modification time and whether it is a
/// directory. Symbolic links are followed, as stat(2) and <see cref="FileInfo"/> follow them.
/// </summary>
internal readonly record struct FileStatus(FileIdentity Identity, FileOwner Owner, long Length, DateTime LastWriteUtc, bool IsDirectory)
{
    private const uint Wanted = StatxBuffer.TypeWanted | StatxBuffer.ModeWanted | StatxBuffer.UidWanted | StatxBuffer.GidWanted
        | StatxBuffer.MtimeWanted | StatxBuffer.InoWanted | StatxBuffer.SizeWanted;

    /// <summary>The status of the file at <paramref name="path"/>, or null when there is none (or it cannot be read).</summary>
    public static FileStatus? Of(string path) => Of(path, out _);

    /// <summary>As <see cref="Of(string)"/>, with the errno of the failure (0 on success).</summary>
    public static FileStatus? Of(string path, out int errno)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Libc.Statx(Libc.AtFdCwd, path, 0, Wanted, out var buffer) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }

        errno = 0;
        return From(buffer);
    }

    /// <summary>The status of an open file, or null when the descriptor cannot be read (closed, or not a file).</summary>
    public static FileStatus? Of(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return handle.IsInvalid || handle.IsClosed || Libc.Statx(handle, "", Libc.AtEmptyPath, Wanted, out var buffer) != 0
            ? null
            : From(buffer);
    }

    /// <summary>True for a Unix socket (S_IFSOCK).</summary>
    public bool IsSocket { get; init; }

    private static FileStatus From(in StatxBuffer buffer) => new(
        new FileIdentity(FileIdentity.DeviceNumber(buffer.DevMajor, buffer.DevMinor), buffer.Ino),
        new FileOwner(buffer.Uid, buffer.Gid),
        (long)buffer.Size,
        DateTime.UnixEpoch.AddTicks((buffer.MtimeSeconds * TimeSpan.TicksPerSecond) + (buffer.MtimeNanoseconds / 100)),
        (buffer.Mode & StatxBuffer.FileTypeMask) == StatxBuffer.Directory)
    {
        IsSocket = (buffer.Mode & StatxBuffer.FileTypeMask) == StatxBuffer.Socket,
    };
}
