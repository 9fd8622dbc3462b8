using System.Net;

namespace Tarpit.Tarpits.Engine;

/// <summary>
/// The engine's bookkeeping for one held connection. Owned by the scheduler thread; times are scheduler ticks
/// (<see cref="TimeSpan"/> ticks since the scheduler started, from the TimeProvider's monotonic timestamp). It holds
/// the socket as a raw descriptor and nothing that can be derived (the hold deadline comes from the tarpit's config):
/// at tens of thousands of held connections every field is paid for thousands of times. What few connections have (a
/// trusted proxy, what the client sent first, a session's findings) is in one <see cref="HeldConnectionExtras"/>
/// made on first use; ports are 16 bits.
/// </summary>
internal sealed class HeldConnection(AcceptedConnection accepted, long id, ITarpitSession? session, long acceptedTicks, DateTimeOffset acceptedAt)
{
    private readonly long _acceptedAtUtcTicks = acceptedAt.UtcTicks;

    /// <summary>The socket's raw descriptor, owned by the scheduler (closed with the connection).</summary>
    public int Descriptor { get; } = accepted.Descriptor;

    public TarpitRuntime Tarpit { get; } = accepted.Tarpit;

    /// <summary>
    /// The client: the socket's peer, or the client a trusted proxy named (PROXY header, forwarding fields). Made on
    /// demand (an event, a log line): the connection keeps the address, shared with the client's other connections
    /// (<see cref="AddressCount"/>), and the port.
    /// </summary>
    public IPEndPoint Remote => new(RemoteAddress, _remotePort);

    public IPAddress RemoteAddress { get; private set; } = accepted.Remote.Address;

    public int RemotePort => _remotePort;

    private ushort _remotePort = (ushort)accepted.Remote.Port;

    private readonly ushort _localPort = (ushort)accepted.LocalPort;

    private ushort _originalPort = (ushort)accepted.OriginalPort;

    private bool _counted;

    private HeldConnectionExtras? _extras = accepted.ViaTrustedProxy ? new HeldConnectionExtras { Proxy = accepted.Remote } : null;

    public int LocalPort => _localPort;

    /// <summary>SO_ORIGINAL_DST's port, or the port a trusted proxy says the client asked for.</summary>
    public int OriginalPort
    {
        get => _originalPort;
        set => _originalPort = (ushort)value;
    }

    /// <summary>The socket's peer when it is one of the tarpit's trusted proxies; null for a direct client.</summary>
    public IPEndPoint? Proxy => _extras?.Proxy;

    /// <summary>The address the per-address limits counted this connection under; null while a trusted proxy's client is unnamed.</summary>
    public IPAddress? Counted => _counted ? RemoteAddress : null;

    /// <summary>The Opened event is out: later events follow it; before it, a close publishes nothing if no session ran.</summary>
    public bool OpenedPublished { get; set; }

    /// <summary>The client was named (once per connection; a later head on the same connection does not rename it).</summary>
    public bool Named { get; set; }

    /// <summary>Naming the client put it over max_clients_per_ip (or the /64 cap): closed after the step, no events.</summary>
    public bool RefusedAtNaming { get; set; }

    public long Id { get; } = id;

    /// <summary>Null while the PROXY header is read (the mode opens its session once the client is known).</summary>
    public ITarpitSession? Session { get; set; } = session;

    public long AcceptedTicks { get; } = acceptedTicks;

    /// <summary>The per-address limits counted the connection under <paramref name="shared"/>, now its client.</summary>
    public void CountAs(IPAddress shared, int port)
    {
        SetRemote(shared, port);
        _counted = true;
    }

    /// <summary>Names the client (a trusted proxy's word).</summary>
    public void SetRemote(IPAddress address, int port)
    {
        RemoteAddress = address;
        _remotePort = (ushort)port;
    }

    public DateTimeOffset AcceptedAt => new(_acceptedAtUtcTicks, TimeSpan.Zero);

    /// <summary><c>max_hold</c>: the connection is closed at this tick whatever the session asks.</summary>
    public long HoldDeadlineTicks => AcceptedTicks + Tarpit.Config.MaxHold.Ticks;

    public HeldConnectionPhase Phase { get; set; }

    /// <summary>When AwaitingInput gives up and Steps with InputTimedOut.</summary>
    public long InputDeadlineTicks { get; set; }

    /// <summary>The current poll backoff while AwaitingInput (at most <see cref="TarpitScheduler.MaxPoll"/>, so 32 bits).</summary>
    public long PollTicks
    {
        get => _pollTicks;
        set => _pollTicks = (int)value;
    }

    private int _pollTicks;

    public long BytesSent { get; set; }

    public int LastSent { get; set; }

    /// <summary>The hangup watch also wakes on its input, to drop it as it comes (the session discards input).</summary>
    public bool DrainArmed { get; set; }

    /// <summary>Input dropped since the session's last step; bounded by <see cref="TarpitScheduler.MaxDrainedPerStep"/>.</summary>
    public int DrainedSinceStep { get; set; }

    public bool Verified { get; set; }

    /// <summary>Escaped and truncated.</summary>
    public string? FirstBytes
    {
        get => _extras?.FirstBytes;
        set => (_extras ??= new HeldConnectionExtras()).FirstBytes = value;
    }

    /// <summary>Created on the first Observe; bounded by <see cref="TarpitScheduler.MaxDetails"/>.</summary>
    public Dictionary<string, string>? Details
    {
        get => _extras?.Details;
        set => (_extras ??= new HeldConnectionExtras()).Details = value;
    }
}
