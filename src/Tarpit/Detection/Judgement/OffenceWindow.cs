using System.Net;
using System.Runtime.CompilerServices;

namespace Tarpit.Detection.Judgement;

/// <summary>
/// Per-address sliding windows: <c>maxRetry</c> offences within <c>findTime</c> make a ban. Each tracked address keeps
/// only its last <c>maxRetry</c> offence times (a ring), which is all the window needs. Memory is bounded: at most
/// <see cref="Capacity"/> addresses, the least recently seen evicted first. Not thread-safe: one judge owns one window.
/// </summary>
/// <remarks>
/// Cost per tracked address with the default <c>max_retry = 5</c>, measured by <c>OffenceWindowTests</c>: about
/// <see cref="ApproximateBytesPerAddress"/> bytes (the IPAddress, the ring of <c>maxRetry</c> longs, the LRU node and
/// the dictionary entry, growth included), so the default cap of 100,000 addresses is about 30 MB at worst.
/// </remarks>
internal sealed class OffenceWindow
{
    /// <summary>Default cap on tracked addresses; a flood of distinct sources evicts the stalest, never grows memory.</summary>
    public const int DefaultCapacity = 100_000;

    /// <summary>Upper bound used in docs and checked by a test (IPv6 key, max_retry 5).</summary>
    public const int ApproximateBytesPerAddress = 320;

    private readonly Dictionary<IPAddress, LinkedListNode<Tracked>> _byAddress = [];
    private readonly LinkedList<Tracked> _byRecency = new();

    public OffenceWindow(int maxRetry, TimeSpan findTime, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRetry);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(findTime, TimeSpan.Zero);
        MaxRetry = maxRetry;
        FindTime = findTime;
        Capacity = capacity;
    }

    public int MaxRetry { get; }

    public TimeSpan FindTime { get; }

    public int Capacity { get; }

    /// <summary>Addresses tracked right now.</summary>
    public int Count => _byAddress.Count;

    /// <summary>
    /// Records one offence at <paramref name="at"/>; returns the offences of this address within the window ending
    /// then, not counting those at or before the address's floor (<see cref="Forgive"/>).
    /// </summary>
    /// <remarks>The caller forgets the address when it decides a ban (the ban takes over); further offences start a new window.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Record(IPAddress address, DateTimeOffset at)
    {
        if (_byAddress.TryGetValue(address, out var node))
        {
            _byRecency.Remove(node);
            _byRecency.AddFirst(node);
        }
        else
        {
            if (_byAddress.Count >= Capacity && _byRecency.Last is { } stalest)
            {
                _byAddress.Remove(stalest.Value.Address);
                _byRecency.RemoveLast();
            }

            node = _byRecency.AddFirst(new Tracked(address, new long[MaxRetry]));
            _byAddress.Add(address, node);
        }

        var tracked = node.Value;
        tracked.Add(at.UtcTicks);
        return tracked.CountSince(Math.Max(at.UtcTicks - FindTime.Ticks, tracked.Floor));
    }

    /// <summary>
    /// Offences of <paramref name="address"/> at or before <paramref name="upTo"/> never count again (they belong to a
    /// ban already decided, or were forgiven by an unban); returns the offences left in the window ending at <paramref name="at"/>.
    /// </summary>
    public int Forgive(IPAddress address, DateTimeOffset upTo, DateTimeOffset at)
    {
        if (!_byAddress.TryGetValue(address, out var node))
        {
            return 0;
        }

        var tracked = node.Value;
        tracked.Floor = Math.Max(tracked.Floor, upTo.UtcTicks);
        return tracked.CountSince(Math.Max(at.UtcTicks - FindTime.Ticks, tracked.Floor));
    }

    /// <summary>Drops an address (after a ban, or when the allowlist changed).</summary>
    public void Forget(IPAddress address)
    {
        if (_byAddress.Remove(address, out var node))
        {
            _byRecency.Remove(node);
        }
    }

    /// <summary>One address's last offence times, newest overwriting oldest.</summary>
    private sealed class Tracked(IPAddress address, long[] ticks)
    {
        private int _next;
        private int _filled;

        public IPAddress Address => address;

        /// <summary>Offences at or before this (UTC ticks) are not counted; 0 until <see cref="Forgive"/>.</summary>
        public long Floor { get; set; }

        public void Add(long at)
        {
            ticks[_next] = at;
            _next = (_next + 1) % ticks.Length;
            _filled = Math.Min(_filled + 1, ticks.Length);
        }

        /// <summary>Offences after <paramref name="since"/> (out-of-order times are counted by value, not position).</summary>
        public int CountSince(long since)
        {
            var count = 0;
            for (var i = 0; i < _filled; i++)
            {
                if (ticks[i] > since)
                {
                    count++;
                }
            }

            return count;
        }
    }
}
