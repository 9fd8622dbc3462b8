using System.Net;
using System.Runtime.InteropServices;

namespace Tarpit.Detection.Filters;

/// <summary>
/// What the <c>sshd</c> filter remembers per sshd process (one per connection: the monitor before OpenSSH 9.8,
/// <c>sshd-session</c> since): the client address its lines named, and failures still waiting for it. Some lines name
/// no address (<c>Disconnecting: Too many authentication failures [preauth]</c>, <c>kex_exchange_identification: …</c>);
/// fail2ban joins them with the connection's other lines by pid, and so does this. A PAM failure is held until sshd's
/// own line for it (<c>Failed password …</c>) or the connection's end: only when sshd logged none does it count.
/// Bounded: at most <see cref="Capacity"/> pids, each forgotten <see cref="Expiry"/> after its last line or at the
/// connection's last line, so a reused pid never inherits an old connection's address. Not thread-safe: one filter per watch.
/// </summary>
internal sealed class SshdConnections
{
    /// <summary>
    /// Pids tracked at once. sshd's <c>MaxStartups</c> (sshd_config(5), default 10:30:100) drops unauthenticated
    /// connections beyond 100 per listener; the lines that need joining come from those. 40 times that, for several
    /// listeners and the authenticated sessions whose pids linger until their last line.
    /// </summary>
    public const int Capacity = 4096;

    /// <summary>
    /// A pid's lines are joined for this long after its last one. sshd's <c>LoginGraceTime</c> (default 120 s) ends every
    /// connection that has not logged in, and the joined lines all come before login; five times that for slow logs.
    /// </summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromMinutes(10);

    private readonly Dictionary<int, Connection> _byPid = [];

    /// <summary>Pids tracked right now.</summary>
    public int Count => _byPid.Count;

    /// <summary>
    /// True when <paramref name="pid"/> has an entry: only then can a failure or a connection's end of it change
    /// anything (the hot path skips the table for the others).
    /// </summary>
    public bool Knows(int pid) => pid > 0 && _byPid.ContainsKey(pid);

    /// <summary>
    /// A line of <paramref name="pid"/> named <paramref name="address"/> (<c>Connection from</c>, <c>Connection closed by</c>,
    /// a valid user's failed key). Returns the rule of a failure that was waiting for this address (it counts now), or null.
    /// </summary>
    /// <param name="closing">The connection's last line: forget the pid; a PAM failure sshd logged no line for counts now.</param>
    public string? Saw(int pid, IPAddress address, DateTimeOffset at, bool closing)
    {
        if (pid <= 0)
        {
            return null;
        }

        ref var connection = ref Find(pid, address, at);
        var pending = connection.PendingHostless ? connection.PendingRule
            : closing && connection.PendingPam ? SshdFilter.Rules.PamWithoutSshdLine
            : null;
        connection.PendingHostless = false;
        connection.PendingRule = null;
        if (closing)
        {
            _byPid.Remove(pid);
        }
        else if (pending is not null)
        {
            connection.PendingPam = false;
        }

        return pending;
    }

    /// <summary>sshd's own failure line for <paramref name="pid"/>: it counts by itself; a PAM failure before it is the same attempt.</summary>
    public void Failed(int pid, IPAddress address, DateTimeOffset at, bool closing)
    {
        if (pid <= 0)
        {
            return;
        }

        ref var connection = ref Find(pid, address, at);
        connection.PendingPam = false;
        connection.PendingHostless = false;
        connection.PendingRule = null;
        if (closing)
        {
            _byPid.Remove(pid);
        }
    }

    /// <summary>
    /// pam_unix's <c>authentication failure; … rhost=</c>: held until sshd's own line or the connection's end. Returns
    /// true when a failure for another user is still held: one connection trying several users is a failure now
    /// (fail2ban gh-2070).
    /// </summary>
    /// <param name="user">A hash of the user the PAM module named (<see cref="string.GetHashCode(ReadOnlySpan{char})"/>).</param>
    public bool PamFailed(int pid, IPAddress address, DateTimeOffset at, int user)
    {
        if (pid <= 0)
        {
            return false;
        }

        ref var connection = ref Find(pid, address, at);
        var changed = connection.PendingPam && connection.PamUser != user;
        connection.PendingPam = true;
        connection.PamUser = user;
        return changed;
    }

    /// <summary>
    /// <c>Accepted …</c>: the connection logged in; nothing held for it counts, unless a PAM failure for another user
    /// is held (returns true: an intruder who found one password after failing others, fail2ban gh-2070).
    /// </summary>
    public bool LoggedIn(int pid, IPAddress address, DateTimeOffset at, int user)
    {
        if (pid <= 0)
        {
            return false;
        }

        ref var connection = ref Find(pid, address, at);
        var otherUser = connection.PendingPam && connection.PamUser != user;
        connection.PendingPam = false;
        connection.PendingHostless = false;
        connection.PendingRule = null;
        return otherUser;
    }

    /// <summary>
    /// A failure line that names no address. Returns the address <paramref name="pid"/> was serving, or null: then it
    /// waits for the connection's next line with an address (<see cref="Saw"/>).
    /// </summary>
    public IPAddress? FailedWithoutAddress(int pid, string rule, DateTimeOffset at)
    {
        if (pid <= 0)
        {
            return null;
        }

        ref var connection = ref Find(pid, null, at);
        if (connection.Address is { } address)
        {
            connection.PendingPam = false;
            return address;
        }

        connection.PendingHostless = true;
        connection.PendingRule = rule;
        return null;
    }

    /// <summary>The entry of <paramref name="pid"/>, fresh if it had none, expired, or served another address (a reused pid).</summary>
    private ref Connection Find(int pid, IPAddress? address, DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        if (_byPid.Count >= Capacity && !_byPid.ContainsKey(pid))
        {
            Evict(ticks);
        }

        ref var connection = ref CollectionsMarshal.GetValueRefOrAddDefault(_byPid, pid, out var existed);
        if (existed && (ticks - connection.SeenTicks > Expiry.Ticks
            || (address is not null && connection.Address is { } known && !known.Equals(address))))
        {
            connection = default;
        }

        connection.SeenTicks = Math.Max(connection.SeenTicks, ticks);
        connection.Address = address ?? connection.Address;
        return ref connection;
    }

    /// <summary>
    /// Drops the expired pids, then, while more than three quarters of the table is left, the older half: each sweep
    /// frees at least a quarter of the table, so sweeps stay rare (amortised O(1) per new pid) whatever the flood.
    /// </summary>
    private void Evict(long now)
    {
        var cutoff = now - Expiry.Ticks;
        long sum = 0;
        var count = _byPid.Count;
        foreach (var (pid, connection) in _byPid)
        {
            sum += connection.SeenTicks / count;
            if (connection.SeenTicks < cutoff)
            {
                _byPid.Remove(pid);
            }
        }

        if (_byPid.Count <= Capacity * 3 / 4)
        {
            return;
        }

        foreach (var (pid, connection) in _byPid)
        {
            if (connection.SeenTicks <= sum)
            {
                _byPid.Remove(pid);
            }
        }

        if (_byPid.Count > Capacity * 3 / 4)
        {
            // all seen at about the same time: no age tells them apart, so start afresh
            _byPid.Clear();
        }
    }

    private struct Connection
    {
        public IPAddress? Address;
        public long SeenTicks;
        public bool PendingPam;
        public int PamUser;
        public bool PendingHostless;
        public string? PendingRule;
    }
}
