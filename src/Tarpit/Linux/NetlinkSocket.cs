using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Tarpit.Linux;

/// <summary>
/// A netlink socket to the kernel's netfilter subsystems (netlink(7), <c>NETLINK_NETFILTER</c>), in the network
/// namespace of the calling process, for requests that only read. It is not bound: the kernel assigns the port on the
/// first send. Reads block until the kernel answers, which it always does to a well-formed request.
/// </summary>
internal sealed class NetlinkSocket : IDisposable
{
    private int _descriptor;

    private NetlinkSocket(int descriptor) => _descriptor = descriptor;

    /// <summary>Opens the socket; throws <see cref="Win32Exception"/> with the errno when the kernel refuses it.</summary>
    public static NetlinkSocket OpenNetfilter()
    {
        var descriptor = Libc.Socket(Libc.AfNetlink, Libc.SockRaw | Libc.SockCloexec, Libc.NetlinkNetfilter);
        return descriptor < 0 ? throw new Win32Exception(Marshal.GetLastPInvokeError()) : new NetlinkSocket(descriptor);
    }

    /// <summary>Sends one request (whole: netlink datagrams are not split).</summary>
    public void Send(ReadOnlySpan<byte> request)
    {
        ObjectDisposedException.ThrowIf(_descriptor < 0, this);
        if (Libc.SendTo(_descriptor, request, (nuint)request.Length, 0) < 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Receives one datagram (one or more netlink messages) into <paramref name="buffer"/>; its length.</summary>
    public int Receive(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_descriptor < 0, this);
        while (true)
        {
            var received = Libc.ReceiveFrom(_descriptor, buffer, (nuint)buffer.Length, 0);
            if (received >= 0)
            {
                return (int)received;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno != Eintr)
            {
                throw new Win32Exception(errno);
            }
        }
    }

    public void Dispose()
    {
        if (_descriptor >= 0)
        {
            _ = Libc.Close(_descriptor);
            _descriptor = -1;
        }
    }

    private const int Eintr = 4;
}
