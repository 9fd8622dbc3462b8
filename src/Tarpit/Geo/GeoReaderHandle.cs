using MaxMind.Db;

namespace Tarpit.Geo;

/// <summary>
/// One opened database, shared by concurrent lookups and disposed only when the last of them lets go. The reader is
/// memory-mapped: disposing it under a running lookup would unmap memory that lookup is reading, so a reload retires
/// the old handle (drops the owner's reference) and the last in-flight lookup disposes it.
/// </summary>
internal sealed class GeoReaderHandle(Reader reader)
{
    // The owner's reference plus one per in-flight lookup; 0 means disposed.
    private int _references = 1;
    private int _corruptionReported;

    public Reader Reader { get; } = reader;

    public string DatabaseType => Reader.Metadata.DatabaseType;

    public bool IsDisposed => Volatile.Read(ref _references) == 0;

    /// <summary>Takes a reference for one lookup; false when the handle is already disposed.</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>Drops a reference taken by <see cref="TryAcquire"/>, or the owner's reference on retirement.</summary>
    public void Release()
    {
        var remaining = Interlocked.Decrement(ref _references);
        if (remaining == 0)
        {
            Reader.Dispose();
        }
        else if (remaining < 0)
        {
            throw new InvalidOperationException("A GeoIP database handle was released more often than acquired.");
        }
    }

    /// <summary>True the first time only: a corrupt data section is reported once per opened file, not per lookup.</summary>
    public bool TryClaimCorruptionReport() => Interlocked.Exchange(ref _corruptionReported, 1) == 0;
}
