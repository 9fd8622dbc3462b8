using System.Buffers.Binary;
using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Tarpit.Linux;

/// <summary>
/// One epoll instance that tells which of many sockets the peer has left (<c>EPOLLRDHUP</c>, <c>EPOLLHUP</c>,
/// <c>EPOLLERR</c>; <c>EPOLLIN</c> only while the owner asks for it with <see cref="WatchInput"/>, so a client that
/// keeps sending wakes nothing otherwise), plus an eventfd that wakes a waiter. The cost per watched socket is one
/// <c>epoll_ctl</c> at registration, one to <see cref="Forget"/> it before it is closed, and the kernel's epoll item
/// (about 200 bytes of slab, not socket memory). A pass asks with <see cref="Collect"/> (timeout 0), so nothing is
/// scanned per connection per pass. Single-threaded but for <see cref="Signal"/>.
/// </summary>
internal sealed class HangupWatch : IDisposable
{
    /// <summary>The data of the wake-up eventfd's registration; socket registrations carry their descriptor (≥ 0).</summary>
    private const ulong WakeData = ulong.MaxValue;

    /// <summary>Events taken per epoll_wait; more wait for the next call (level-triggered, nothing is lost).</summary>
    private const int MaxEvents = 256;

    // struct epoll_event is packed on x86-64 (12 bytes: u32 events, u64 data) and naturally aligned elsewhere (16).
    private static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int DataOffset = EventSize - 8;

    private readonly byte[] _events = new byte[MaxEvents * EventSize];
    private int _epoll;
    private int _wake;

    public HangupWatch()
    {
        _epoll = Libc.EpollCreate(Libc.EpollCloexec);
        if (_epoll < 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }

        _wake = Libc.EventFd(0, Libc.EfdNonblock | Libc.EfdCloexec);
        if (_wake < 0 || !Control(Libc.EpollCtlAdd, _wake, Libc.EpollIn, WakeData))
        {
            var errno = Marshal.GetLastPInvokeError();
            Dispose();
            throw new Win32Exception(errno);
        }
    }

    /// <summary>Watches <paramref name="descriptor"/> until it is closed; false when the kernel refused (then it is not watched).</summary>
    public bool Watch(int descriptor) =>
        descriptor >= 0 && Control(Libc.EpollCtlAdd, descriptor, Libc.EpollRdHup, (ulong)descriptor);

    /// <summary>
    /// Also reports <paramref name="descriptor"/> when it has bytes to read (<paramref name="input"/> true), or no
    /// longer (false): for a connection whose input is read and dropped, whose FIN could otherwise wait behind a full
    /// receive window. One epoll_ctl.
    /// </summary>
    public bool WatchInput(int descriptor, bool input) =>
        Control(Libc.EpollCtlMod, descriptor, input ? Libc.EpollRdHup | Libc.EpollIn : Libc.EpollRdHup, (ulong)descriptor);

    /// <summary>Stops watching a descriptor: before it is closed, or one whose hangup nobody claims. One epoll_ctl.</summary>
    public void Forget(int descriptor) => _ = Control(Libc.EpollCtlDel, descriptor, 0, 0);

    /// <summary>Wakes a <see cref="Wait"/> now or the next one. Any thread.</summary>
    public void Signal()
    {
        Span<byte> one = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(one, 1);
        _ = Libc.Write(_wake, one, 8);
    }

    /// <summary>Blocks until a watched peer leaves, <see cref="Signal"/> is called, or <paramref name="timeout"/> passes.</summary>
    public void Wait(TimeSpan timeout)
    {
        var milliseconds = timeout == Timeout.InfiniteTimeSpan ? -1 : (int)Math.Clamp(Math.Ceiling(timeout.TotalMilliseconds), 0, int.MaxValue);
        _ = Libc.EpollWait(_epoll, _events, 1, milliseconds);
        ResetWake();
    }

    /// <summary>
    /// Adds to <paramref name="ready"/> the descriptors whose peer has left (Left true) or, watched for input, that have
    /// bytes to read (Left false), without waiting. Each stays reported until it is closed, forgotten or (input) read
    /// or unwatched, so the caller does one of these.
    /// </summary>
    public void Collect(List<(int Descriptor, bool Left)> ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        var count = Libc.EpollWait(_epoll, _events, MaxEvents, 0);
        for (var i = 0; i < count; i++)
        {
            var events = BinaryPrimitives.ReadUInt32LittleEndian(_events.AsSpan(i * EventSize, 4));
            var data = BinaryPrimitives.ReadUInt64LittleEndian(_events.AsSpan((i * EventSize) + DataOffset, 8));
            if (data == WakeData)
            {
                ResetWake();
            }
            else
            {
                ready.Add(((int)data, (events & (Libc.EpollRdHup | Libc.EpollHup | Libc.EpollErr)) != 0));
            }
        }
    }

    public void Dispose()
    {
        if (_wake >= 0)
        {
            _ = Libc.Close(_wake);
            _wake = -1;
        }

        if (_epoll >= 0)
        {
            _ = Libc.Close(_epoll);
            _epoll = -1;
        }
    }

    private void ResetWake()
    {
        Span<byte> counter = stackalloc byte[8];
        _ = Libc.Read(_wake, counter, 8);
    }

    private bool Control(int operation, int descriptor, uint events, ulong data)
    {
        Span<byte> ev = stackalloc byte[16];
        ev.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(ev, events);
        BinaryPrimitives.WriteUInt64LittleEndian(ev[DataOffset..], data);
        return Libc.EpollCtl(_epoll, operation, descriptor, ev[..EventSize]) == 0;
    }
}
