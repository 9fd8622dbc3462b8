using System.Runtime.InteropServices;

namespace Tarpit.Linux;

internal static partial class Libc
{
    // <bits/socket.h>: don't block this call; no SIGPIPE when the peer is gone (EPIPE instead).
    internal const int MsgDontWait = 0x40;
    /// <summary>recv(2) MSG_PEEK: return the data without removing it from the receive queue.</summary>
    internal const int MsgPeek = 0x2;
    internal const int MsgNoSignal = 0x4000;

    // <asm-generic/fcntl.h>: duplicate onto the lowest free descriptor, close-on-exec.
    internal const int FDupFdCloexec = 1030;

    // <asm-generic/socket.h>.
    internal const int SolSocket = 1;
    internal const int SoSndBuf = 7;

    /// <summary>send(2): bytes sent, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "send", SetLastError = true)]
    internal static partial nint Send(int socket, ReadOnlySpan<byte> buffer, nuint length, int flags);

    /// <summary>recv(2): bytes received (0 when the peer closed), or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "recv", SetLastError = true)]
    internal static partial nint Receive(int socket, Span<byte> buffer, nuint length, int flags);

    /// <summary>fcntl(2) with an int argument (F_DUPFD_CLOEXEC): the new descriptor, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int descriptor, int command, int argument);

    /// <summary>setsockopt(2) with an int value: 0, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "setsockopt", SetLastError = true)]
    internal static partial int SetSocketOption(int socket, int level, int name, in int value, uint length);

    /// <summary>getsockopt(2) into a buffer: 0 and the length written, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "getsockopt", SetLastError = true)]
    internal static partial int GetSocketOption(int socket, int level, int name, Span<byte> value, ref uint length);
}
