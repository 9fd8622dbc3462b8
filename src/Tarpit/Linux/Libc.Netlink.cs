using System.Runtime.InteropServices;

namespace Tarpit.Linux;

internal static partial class Libc
{
    // <sys/socket.h>, <linux/netlink.h>: a netlink socket to the kernel's netfilter subsystems.
    internal const int AfNetlink = 16;
    internal const int SockRaw = 3;
    internal const int SockCloexec = 0x80000;
    internal const int NetlinkNetfilter = 12;

    /// <summary>socket(2): a descriptor, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "socket", SetLastError = true)]
    internal static partial int Socket(int domain, int type, int protocol);

    /// <summary>send(2) on a raw descriptor: bytes sent, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "send", SetLastError = true)]
    internal static partial nint SendTo(int socket, ReadOnlySpan<byte> buffer, nuint length, int flags);

    /// <summary>recv(2) on a raw descriptor: bytes received, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "recv", SetLastError = true)]
    internal static partial nint ReceiveFrom(int socket, Span<byte> buffer, nuint length, int flags);

    /// <summary>close(2).</summary>
    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int descriptor);
}
