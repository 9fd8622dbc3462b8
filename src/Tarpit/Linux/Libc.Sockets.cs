using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Tarpit.Linux;

internal static partial class Libc
{
    // <bits/socket.h>: don't block this call; no SIGPIPE when the peer is gone (EPIPE instead).
    internal const int MsgDontWait = 0x40;
    /// <summary>recv(2) MSG_PEEK: return the data without removing it from the receive queue.</summary>
    internal const int MsgPeek = 0x2;
    internal const int MsgNoSignal = 0x4000;

    /// <summary>send(2): bytes sent, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "send", SetLastError = true)]
    internal static partial nint Send(SafeSocketHandle socket, ReadOnlySpan<byte> buffer, nuint length, int flags);

    /// <summary>recv(2): bytes received (0 when the peer closed), or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "recv", SetLastError = true)]
    internal static partial nint Receive(SafeSocketHandle socket, Span<byte> buffer, nuint length, int flags);
}
