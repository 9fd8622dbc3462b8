using System.Runtime.InteropServices;

namespace Tarpit.Linux;

internal static partial class Libc
{
    // <sys/epoll.h>.
    internal const int EpollCloexec = 0x80000;
    internal const int EpollCtlAdd = 1;
    internal const int EpollCtlDel = 2;
    internal const int EpollCtlMod = 3;
    internal const uint EpollIn = 0x001;
    internal const uint EpollErr = 0x008;
    internal const uint EpollHup = 0x010;
    internal const uint EpollRdHup = 0x2000;

    // <sys/eventfd.h>.
    internal const int EfdNonblock = 0x800;
    internal const int EfdCloexec = 0x80000;

    /// <summary>epoll_create1(2): a descriptor, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "epoll_create1", SetLastError = true)]
    internal static partial int EpollCreate(int flags);

    /// <summary>epoll_ctl(2): 0, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "epoll_ctl", SetLastError = true)]
    internal static partial int EpollCtl(int epoll, int operation, int descriptor, ReadOnlySpan<byte> ev);

    /// <summary>epoll_wait(2): events written, 0 on timeout, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "epoll_wait", SetLastError = true)]
    internal static partial int EpollWait(int epoll, Span<byte> events, int maxEvents, int timeoutMilliseconds);

    /// <summary>eventfd(2): a descriptor, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "eventfd", SetLastError = true)]
    internal static partial int EventFd(uint initial, int flags);

    /// <summary>write(2) on a raw descriptor: bytes written, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int descriptor, ReadOnlySpan<byte> buffer, nuint length);

    /// <summary>read(2) on a raw descriptor: bytes read, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int descriptor, Span<byte> buffer, nuint length);
}
