using System.Net;
using Tarpit.Text;

namespace Tarpit.Tarpits.Engine;

/// <summary>
/// The engine's bookkeeping for one held connection: a slot of the <see cref="ConnectionTable"/>, a value and not an
/// object, so that holding a connection costs its 96 bytes in a table chunk and no allocation of its own (issue 16).
/// Owned by the scheduler thread; times are scheduler ticks (<see cref="TimeSpan"/> ticks since the scheduler
/// started, from the TimeProvider's monotonic timestamp). It holds the socket as a raw descriptor and nothing that
/// can be derived (the hold deadline comes from the tarpit's config, the accept time from the ticks): at tens of
/// thousands of held connections every field is paid for thousands of times. A mode whose sessions are shared keeps
/// a connection's state in <see cref="SessionState"/>; what few connections have (a trusted proxy, what the client
/// sent first, a session's summary for its close) is in one <see cref="HeldConnectionExtras"/> made on first use; what
/// a session observed leaves with the events of the step that observed it and is not kept; ports are 16 bits.
/// </summary>
internal struct HeldConnection
{
    public long Id;

    public long AcceptedTicks;

    /// <summary>When AwaitingInput gives up and Steps with InputTimedOut.</summary>
    public long InputDeadlineTicks;

    public long BytesSent;

    /// <summary><see cref="SessionContext.State"/> between two Steps.</summary>
    public ulong SessionState;

    /// <summary>Null for a free slot.</summary>
    public TarpitRuntime Tarpit;

    /// <summary>
    /// The client: the socket's peer, or the client a trusted proxy named (PROXY header, forwarding fields); the one
    /// instance the per-address count holds (<see cref="AddressCount"/>), shared with the client's other connections.
    /// </summary>
    public IPAddress RemoteAddress;

    /// <summary>Null while the PROXY header is read (the mode opens its session once the client is known).</summary>
    public ITarpitSession? Session;

    public HeldConnectionExtras? Extras;

    /// <summary>The socket's raw descriptor, owned by the scheduler (closed with the connection).</summary>
    public int Descriptor;

    /// <summary>The current poll backoff while AwaitingInput (at most <see cref="TarpitScheduler.MaxPoll"/>, so 32 bits).</summary>
    public int PollTicks;

    public int LastSent;

    /// <summary>Input dropped since the session's last step; bounded by <see cref="TarpitScheduler.MaxDrainedPerStep"/>.</summary>
    public int DrainedSinceStep;

    private ushort _remotePort;
    private ushort _localPort;
    private ushort _originalPort;

    public HeldConnectionPhase Phase;

    private HeldConnectionFlags _flags;

    public HeldConnection(in AcceptedConnection accepted, long id, long acceptedTicks)
    {
        Id = id;
        AcceptedTicks = acceptedTicks;
        Tarpit = accepted.Tarpit;
        RemoteAddress = accepted.Remote.Address;
        Extras = accepted.ViaTrustedProxy ? new HeldConnectionExtras { Proxy = accepted.Remote } : null;
        Descriptor = accepted.Descriptor;
        _remotePort = (ushort)accepted.Remote.Port;
        _localPort = (ushort)accepted.LocalPort;
        _originalPort = (ushort)accepted.OriginalPort;
    }

    /// <summary>The client as an endpoint, made on demand (an event, a log line).</summary>
    public readonly IPEndPoint Remote => new(RemoteAddress, _remotePort);

    public readonly int RemotePort => _remotePort;

    public readonly int LocalPort => _localPort;

    /// <summary>SO_ORIGINAL_DST's port, or the port a trusted proxy says the client asked for.</summary>
    public int OriginalPort
    {
        readonly get => _originalPort;
        set => _originalPort = (ushort)value;
    }

    /// <summary>The socket's peer when it is one of the tarpit's trusted proxies; null for a direct client.</summary>
    public readonly IPEndPoint? Proxy => Extras?.Proxy;

    /// <summary>The address the per-address limits counted this connection under; null while a trusted proxy's client is unnamed.</summary>
    public readonly IPAddress? Counted => Has(HeldConnectionFlags.Counted) ? RemoteAddress : null;

    /// <summary>The Opened event is out: later events follow it; before it, a close publishes nothing if no session ran.</summary>
    public bool OpenedPublished
    {
        readonly get => Has(HeldConnectionFlags.OpenedPublished);
        set => Set(HeldConnectionFlags.OpenedPublished, value);
    }

    /// <summary>The client was named (once per connection; a later head on the same connection does not rename it).</summary>
    public bool Named
    {
        readonly get => Has(HeldConnectionFlags.Named);
        set => Set(HeldConnectionFlags.Named, value);
    }

    /// <summary>Naming the client put it over max_clients_per_ip (or the /64 cap): closed after the step, no events.</summary>
    public bool RefusedAtNaming
    {
        readonly get => Has(HeldConnectionFlags.RefusedAtNaming);
        set => Set(HeldConnectionFlags.RefusedAtNaming, value);
    }

    /// <summary>The hangup watch also wakes on its input, to drop it as it comes (the session discards input).</summary>
    public bool DrainArmed
    {
        readonly get => Has(HeldConnectionFlags.DrainArmed);
        set => Set(HeldConnectionFlags.DrainArmed, value);
    }

    public bool Verified
    {
        readonly get => Has(HeldConnectionFlags.Verified);
        set => Set(HeldConnectionFlags.Verified, value);
    }

    /// <summary>The due queue has an entry for this slot: a closed slot is freed when that entry comes out, not before.</summary>
    public bool Queued
    {
        readonly get => Has(HeldConnectionFlags.Queued);
        set => Set(HeldConnectionFlags.Queued, value);
    }

    /// <summary><c>max_hold</c>: the connection is closed at this tick whatever the session asks.</summary>
    public readonly long HoldDeadlineTicks => AcceptedTicks + Tarpit.Config.MaxHold.Ticks;

    /// <summary>What the client sent first, escaped and truncated (made from the kept bytes on each read); null before it sent anything.</summary>
    public readonly string? FirstBytes =>
        Extras?.FirstBytes is { } bytes ? AttackerText.Escape(bytes, TarpitScheduler.MaxFirstBytesLength) : null;

    public readonly bool HasFirstBytes => Extras?.FirstBytes is not null;

    /// <summary>Keeps what the client sent first, as much of it as decides <see cref="FirstBytes"/> (<see cref="AttackerText.DecidingLength"/>).</summary>
    public void KeepFirstBytes(ReadOnlySpan<byte> bytes) =>
        (Extras ??= new HeldConnectionExtras()).FirstBytes = bytes[..AttackerText.DecidingLength(bytes, TarpitScheduler.MaxFirstBytesLength)].ToArray();

    /// <summary>What the session summarized for the Closed event; null when nothing.</summary>
    public Dictionary<string, string>? Summary
    {
        readonly get => Extras?.Summary;
        set => (Extras ??= new HeldConnectionExtras()).Summary = value;
    }

    /// <summary>The per-address limits counted the connection under <paramref name="shared"/>, now its client.</summary>
    public void CountAs(IPAddress shared, int port)
    {
        SetRemote(shared, port);
        Set(HeldConnectionFlags.Counted, true);
    }

    /// <summary>Names the client (a trusted proxy's word).</summary>
    public void SetRemote(IPAddress address, int port)
    {
        RemoteAddress = address;
        _remotePort = (ushort)port;
    }

    private readonly bool Has(HeldConnectionFlags flag) => (_flags & flag) != 0;

    private void Set(HeldConnectionFlags flag, bool value) => _flags = value ? _flags | flag : _flags & ~flag;
}
