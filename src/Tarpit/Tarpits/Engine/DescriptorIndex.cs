namespace Tarpit.Tarpits.Engine;

/// <summary>
/// Held connections by socket descriptor, for the hangup watch's answers: an array indexed by the descriptor, which the
/// kernel hands out lowest-first, so it is dense and at most the process's descriptor limit long. One reference per
/// descriptor (8 bytes), not a dictionary entry with its hash, link and key (24 bytes and a prime's slack).
/// </summary>
internal sealed class DescriptorIndex
{
    private HeldConnection?[] _connections = new HeldConnection?[1024];

    public void Add(HeldConnection connection)
    {
        var descriptor = connection.Descriptor;
        if (descriptor >= _connections.Length)
        {
            Array.Resize(ref _connections, Math.Max(descriptor + 1, _connections.Length * 2));
        }

        _connections[descriptor] = connection;
    }

    /// <summary>True when <paramref name="connection"/> was indexed (and now is not).</summary>
    public bool Remove(HeldConnection connection)
    {
        var descriptor = connection.Descriptor;
        if ((uint)descriptor < (uint)_connections.Length && ReferenceEquals(_connections[descriptor], connection))
        {
            _connections[descriptor] = null;
            return true;
        }

        return false;
    }

    public HeldConnection? Find(int descriptor) =>
        (uint)descriptor < (uint)_connections.Length ? _connections[descriptor] : null;
}
