using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Tarpit.Linux;

/// <summary>
/// Send and receive that never block, per call (<c>MSG_DONTWAIT</c>, send(2) and recv(2)), on a raw socket descriptor
/// (<see cref="SocketDescriptor"/>): a held connection is a number, not a <see cref="Socket"/> with its handle, its
/// endpoints and, once non-blocking, a SocketAsyncContext (together about 500 bytes of managed heap per connection).
/// The scheduler thread is the only caller.
/// </summary>
internal static class NonBlockingSocket
{
    // <asm-generic/errno-base.h> and <asm-generic/errno.h>.
    private const int EIntr = 4;
    private const int EAgain = 11;
    private const int EPipe = 32;
    private const int ENetUnreach = 101;
    private const int EConnAborted = 103;
    private const int EConnReset = 104;
    private const int ENotConn = 107;
    private const int ETimedOut = 110;
    private const int EHostUnreach = 113;

    /// <summary>Sends what the kernel takes now; WouldBlock (0 sent) when its buffer is full.</summary>
    public static SocketError Send(int socket, ReadOnlySpan<byte> buffer, out int sent)
    {
        while (true)
        {
            var result = Libc.Send(socket, buffer, (nuint)buffer.Length, Libc.MsgDontWait | Libc.MsgNoSignal);
            if (result >= 0)
            {
                sent = (int)result;
                return SocketError.Success;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno != EIntr)
            {
                sent = 0;
                return ErrorOf(errno);
            }
        }
    }

    /// <summary>Reads what is there now; Success with 0 bytes means the client closed, WouldBlock that nothing came.</summary>
    public static SocketError Receive(int socket, Span<byte> buffer, out int received) =>
        Receive(socket, buffer, Libc.MsgDontWait, out received);

    /// <summary>
    /// Copies what is there now without taking it (<c>MSG_PEEK</c>): the next read sees the same bytes. Success with 0
    /// bytes means the client closed, WouldBlock that nothing came.
    /// </summary>
    public static SocketError Peek(int socket, Span<byte> buffer, out int received) =>
        Receive(socket, buffer, Libc.MsgDontWait | Libc.MsgPeek, out received);

    private static SocketError Receive(int socket, Span<byte> buffer, int flags, out int received)
    {
        while (true)
        {
            var result = Libc.Receive(socket, buffer, (nuint)buffer.Length, flags);
            if (result >= 0)
            {
                received = (int)result;
                return SocketError.Success;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno != EIntr)
            {
                received = 0;
                return ErrorOf(errno);
            }
        }
    }

    /// <summary>The errors a held connection meets, as .NET names them; anything else is a plain SocketError.</summary>
    internal static SocketError ErrorOf(int errno) => errno switch
    {
        EAgain => SocketError.WouldBlock,
        EPipe => SocketError.Shutdown,
        ENetUnreach => SocketError.NetworkUnreachable,
        EConnAborted => SocketError.ConnectionAborted,
        EConnReset => SocketError.ConnectionReset,
        ENotConn => SocketError.NotConnected,
        ETimedOut => SocketError.TimedOut,
        EHostUnreach => SocketError.HostUnreachable,
        _ => SocketError.SocketError,
    };
}
