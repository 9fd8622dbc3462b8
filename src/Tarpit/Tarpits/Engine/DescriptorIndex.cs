namespace Tarpit.Tarpits.Engine;

/// <summary>
/// Held connections' slots by socket descriptor, for the hangup watch's answers: an array indexed by the descriptor,
/// which the kernel hands out lowest-first, so it is dense and at most the process's descriptor limit long. Four bytes
/// per descriptor (the slot number + 1, 0 for none), not a dictionary entry with its hash, link and key.
/// </summary>
internal sealed class DescriptorIndex
{
    private int[] _slots = new int[1024];

    public void Add(int descriptor, int slot)
    {
        if (descriptor >= _slots.Length)
        {
            Array.Resize(ref _slots, Math.Max(descriptor + 1, _slots.Length * 2));
        }

        _slots[descriptor] = slot + 1;
    }

    /// <summary>True when <paramref name="descriptor"/> was indexed as <paramref name="slot"/>'s (and now is not).</summary>
    public bool Remove(int descriptor, int slot)
    {
        if ((uint)descriptor < (uint)_slots.Length && _slots[descriptor] == slot + 1)
        {
            _slots[descriptor] = 0;
            return true;
        }

        return false;
    }

    /// <summary>The slot of the connection on <paramref name="descriptor"/>, or -1.</summary>
    public int Find(int descriptor) =>
        (uint)descriptor < (uint)_slots.Length ? _slots[descriptor] - 1 : -1;
}
