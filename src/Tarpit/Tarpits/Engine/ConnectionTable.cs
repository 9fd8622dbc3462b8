namespace Tarpit.Tarpits.Engine;

/// <summary>
/// Every held connection, as <see cref="HeldConnection"/> values in chunks of <see cref="ChunkSize"/> slots, indexed by
/// slot number, with a list of the free slots: a connection is a slot, not an object (issue 16), and the due queue
/// and the descriptor index hold slot numbers. Chunks never move once made, so a <c>ref</c> to a slot stays good while
/// the table grows. The table keeps the chunks its largest crowd needed (at most the tarpits' <c>max_clients</c>
/// together, 96 bytes each). Scheduler thread only.
/// </summary>
internal sealed class ConnectionTable
{
    /// <summary>Slots per chunk: 512 × 96 bytes stays under the large object heap's 85,000 bytes.</summary>
    public const int ChunkSize = 1 << Shift;

    private const int Shift = 9;
    private const int Mask = ChunkSize - 1;

    private HeldConnection[][] _chunks = [];
    private int[] _free = [];
    private int _freeCount;

    /// <summary>Slots handed out so far, free or not: every held connection's slot is below it.</summary>
    public int HighWater { get; private set; }

    /// <summary>Connections in the table (slots taken and not yet freed).</summary>
    public int Count => HighWater - _freeCount;

    public ref HeldConnection this[int slot] => ref _chunks[slot >> Shift][slot & Mask];

    /// <summary>Puts <paramref name="connection"/> into a free slot (the last freed first) and returns its number.</summary>
    public int Add(in HeldConnection connection)
    {
        int slot;
        if (_freeCount > 0)
        {
            slot = _free[--_freeCount];
        }
        else
        {
            slot = HighWater++;
            if ((slot & Mask) == 0)
            {
                Grow(slot >> Shift); // the first slot of a chunk not made yet: slots are handed out in order
            }
        }

        this[slot] = connection;
        return slot;
    }

    /// <summary>True when <paramref name="slot"/> holds a connection.</summary>
    public bool InUse(int slot) => (uint)slot < (uint)HighWater && this[slot].Tarpit is not null;

    /// <summary>Empties <paramref name="slot"/> (dropping its references) and lets the next <see cref="Add"/> take it.</summary>
    public void Free(int slot)
    {
        this[slot] = default;
        if (_freeCount == _free.Length)
        {
            Array.Resize(ref _free, Math.Max(ChunkSize, _free.Length * 2));
        }

        _free[_freeCount++] = slot;
    }

    private void Grow(int chunk)
    {
        if (chunk >= _chunks.Length)
        {
            Array.Resize(ref _chunks, Math.Max(4, _chunks.Length * 2));
        }

        _chunks[chunk] = new HeldConnection[ChunkSize];
    }
}
