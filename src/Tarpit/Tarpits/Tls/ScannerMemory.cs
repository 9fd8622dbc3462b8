using System.Net;

namespace Tarpit.Tarpits.Tls;

/// <summary>
/// The addresses that sent a service scanner's probe (<see cref="ServiceScanProbes"/>) lately: their next connections
/// get the completed handshake and nginx's HTTP answer (<see cref="HandshakeDripSession"/>), so <c>nmap -sV</c> sees
/// <c>ssl/http nginx</c> as on the real server, while every other client keeps the stall mode's hold. Bounded in time
/// and size (the addresses are the attacker's); one per TLS <c>[[tarpit]]</c>, scheduler thread only.
/// </summary>
internal sealed class ScannerMemory(int capacity = ScannerMemory.MaxAddresses)
{
    /// <summary>
    /// How long an address is remembered after its probe. nmap's service scan reconnects through TLS as soon as the
    /// probe matched and runs its probes again: at the default intensity (7) 30 TCP probes, each waiting at most
    /// <c>totalwaitms</c> (6 s) in nmap-service-probes (7.93), ~3 minutes if nothing matched; each probe re-arms this.
    /// </summary>
    public static readonly TimeSpan RememberFor = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Addresses remembered at most: ~100 B each (the entry and its address), ~100 KiB in all. Past it the oldest is
    /// forgotten (that scanner then sees the stall, as every client does): filling the memory from many addresses
    /// costs us nothing more, and a remembered address is held as handshake-drip holds anyone, within max_clients.
    /// </summary>
    public const int MaxAddresses = 1024;

    private readonly Dictionary<IPAddress, DateTimeOffset> _seen = [];

    public int Count => _seen.Count;

    /// <summary>The address sent a probe at <paramref name="now"/>.</summary>
    public void Remember(IPAddress address, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!_seen.ContainsKey(address) && _seen.Count >= capacity)
        {
            Forget(now);
        }

        _seen[address] = now;
    }

    /// <summary>The address sent a probe less than <see cref="RememberFor"/> ago.</summary>
    public bool Remembers(IPAddress? address, DateTimeOffset now)
    {
        if (address is null || !_seen.TryGetValue(address, out var seen))
        {
            return false;
        }

        if (now - seen < RememberFor)
        {
            return true;
        }

        _seen.Remove(address);
        return false;
    }

    /// <summary>Full: drops the expired entries, else the oldest one (one pass over at most <see cref="MaxAddresses"/>).</summary>
    private void Forget(DateTimeOffset now)
    {
        IPAddress? oldest = null;
        var oldestSeen = DateTimeOffset.MaxValue;
        List<IPAddress>? expired = null;
        foreach (var (address, seen) in _seen)
        {
            if (now - seen >= RememberFor)
            {
                (expired ??= []).Add(address);
            }
            else if (seen < oldestSeen)
            {
                (oldest, oldestSeen) = (address, seen);
            }
        }

        if (expired is not null)
        {
            foreach (var address in expired)
            {
                _seen.Remove(address);
            }
        }
        else if (oldest is not null)
        {
            _seen.Remove(oldest);
        }
    }
}
