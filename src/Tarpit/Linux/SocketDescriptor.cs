using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Tarpit.Linux;

/// <summary>
/// Raw socket descriptors for held connections: taken over from an accepted <see cref="Socket"/> once, then owned as a
/// plain number until <see cref="Close"/>. The <see cref="Socket"/> (and its handle and endpoints) is garbage from the
/// moment the descriptor is taken, so a held connection keeps nothing of .NET's socket machinery on the heap.
/// </summary>
internal static class SocketDescriptor
{
    /// <summary>
    /// A descriptor of its own for <paramref name="socket"/>'s connection (a close-on-exec duplicate), and the socket
    /// disposed: the connection lives on through the returned descriptor, which the caller now owns.
    /// </summary>
    public static int TakeOver(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        try
        {
            var descriptor = Libc.Fcntl((int)socket.SafeHandle.DangerousGetHandle(), Libc.FDupFdCloexec, 0);
            return descriptor >= 0 ? descriptor : throw Failure();
        }
        finally
        {
            socket.Dispose();
        }
    }

    /// <summary>SO_SNDBUF; the kernel doubles it and raises it to its minimum (socket(7)).</summary>
    public static void SetSendBuffer(int descriptor, int bytes)
    {
        if (Libc.SetSocketOption(descriptor, Libc.SolSocket, Libc.SoSndBuf, bytes, sizeof(int)) != 0)
        {
            throw Failure();
        }
    }

    private static SocketException Failure() => new((int)NonBlockingSocket.ErrorOf(Marshal.GetLastPInvokeError()));

    /// <summary>Closes a descriptor this class handed out; errors (EINTR, EIO) leave nothing to retry on Linux (close(2)).</summary>
    public static void Close(int descriptor)
    {
        if (descriptor >= 0)
        {
            _ = Libc.Close(descriptor);
        }
    }
}
