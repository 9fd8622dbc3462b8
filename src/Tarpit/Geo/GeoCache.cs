using System.Net;

namespace Tarpit.Geo;

/// <summary>
/// A bounded least-recently-used cache of answers, "nothing known" included. One instance per database generation:
/// a reload replaces the whole cache, so an answer from an old database can never outlive the reload.
/// </summary>
internal sealed class GeoCache
{
    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, LinkedListNode<KeyValuePair<IPAddress, GeoInfo?>>> _entries;
    private readonly LinkedList<KeyValuePair<IPAddress, GeoInfo?>> _recency = new();

    public GeoCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _entries = new Dictionary<IPAddress, LinkedListNode<KeyValuePair<IPAddress, GeoInfo?>>>(Math.Min(capacity, 1024));
    }

    public int Capacity { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public bool TryGet(IPAddress address, out GeoInfo? info)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(address, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                info = node.Value.Value;
                return true;
            }
        }

        info = null;
        return false;
    }

    public void Add(IPAddress address, GeoInfo? info)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(address, out var existing))
            {
                _recency.Remove(existing);
                _entries.Remove(address);
            }
            else if (_entries.Count >= Capacity)
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
            }

            _entries[address] = _recency.AddFirst(new KeyValuePair<IPAddress, GeoInfo?>(address, info));
        }
    }
}
