namespace Tarpit.Tarpits;

/// <summary>
/// Engine-owned state handed to <see cref="ITarpitSession.Step"/>: what the client sent, what the kernel accepted of the
/// last output, scratch space for the next output, the clock and the shared random source.
/// </summary>
internal ref struct SessionContext
{
    /// <summary>The capacity <see cref="Output"/> always has at least.</summary>
    public const int MinOutputCapacity = 4096;

    private readonly ISessionRecorder _recorder;

    public SessionContext(ISessionRecorder recorder, Span<byte> output, Random random)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(random);
        _recorder = recorder;
        Output = output;
        Random = random;
    }

    /// <summary>The engine's id of the connection (as on its events).</summary>
    public long ConnectionId;

    /// <summary>
    /// The connection's 64 bits of session state, kept by the engine in the connection's slot from one Step to the
    /// next (0 before the first): a mode whose sessions need no more than this shares one session object among all
    /// its connections, so a held connection costs no object (issue 16). Sessions with more state keep it in
    /// themselves and ignore this.
    /// </summary>
    public ulong State;

    /// <summary>
    /// Set by a session that hands the connection over to another (SSH client verification to the hold it chose): the
    /// engine steps <see cref="Next"/> from the next Step on, with the <see cref="State"/> this Step left.
    /// </summary>
    public ITarpitSession? Next;

    /// <summary>Client bytes read since the last Step, bounded by the engine's receive buffer (4096 bytes); empty when none.</summary>
    public ReadOnlySpan<byte> Received;

    /// <summary>True when Step was called because an <see cref="SessionStep.AwaitInput"/> deadline passed.</summary>
    public bool InputTimedOut;

    /// <summary>Bytes of the previous Step's output the kernel accepted (less than written when the client stopped reading).</summary>
    public int LastSent;

    /// <summary>Scratch of at least <see cref="MinOutputCapacity"/> bytes; the session writes from index 0.</summary>
    public Span<byte> Output;

    /// <summary>Set by the session: bytes of <see cref="Output"/> to send now.</summary>
    public int Written;

    /// <summary>
    /// Set by a session that reads no more input: after the step the engine reads what the client sent and discards
    /// it (so nothing piles up in the kernel's buffer) and closes the connection when the client has left. A hold
    /// that sends nothing has no failing send to tell it so: it stayed until max_hold.
    /// </summary>
    public bool DiscardInput;

    /// <summary>Time since accept.</summary>
    public TimeSpan Elapsed;

    /// <summary>From the engine's TimeProvider (e.g. for an HTTP Date header).</summary>
    public DateTimeOffset Now;

    /// <summary>Shared by all sessions, scheduler-thread-only.</summary>
    public Random Random;

    /// <summary>The client's address (the engine's, shared by its connections); null in a test that sets none.</summary>
    public System.Net.IPAddress? RemoteAddress;

    /// <summary>
    /// A context for a session run inside this one (HTTP inside TLS): the same recorder, clock, random source and
    /// connection id, its own output and no <see cref="State"/> (the inner session keeps its own); the caller sets what it received and what was sent of its last output.
    /// </summary>
    public readonly SessionContext Nested(Span<byte> output) => new(_recorder, output, Random)
    {
        ConnectionId = ConnectionId,
        InputTimedOut = InputTimedOut,
        Elapsed = Elapsed,
        Now = Now,
        RemoteAddress = RemoteAddress,
    };

    /// <summary>
    /// The client proved to be this protocol's client, or stayed silent and was shown the banner: publishes a
    /// Verified event (once per connection).
    /// </summary>
    public readonly void MarkVerified() => _recorder.MarkVerified();

    /// <summary>What the client sent first; the engine escapes and truncates it and keeps only the first call's.</summary>
    public readonly void RecordFirstBytes(ReadOnlySpan<byte> b) => _recorder.RecordFirstBytes(b);

    /// <summary>
    /// A protocol finding for the connection event Details (http.method, http.path, http.host, http.user_agent,
    /// tls.sni, tls.alpn, ssh.client_version, ...); <paramref name="value"/> must already be escaped with
    /// AttackerText.Escape. It leaves with this step's next event (Verified, or the Observed event of a
    /// <see cref="Publish"/>), else in an Observed event when the step returns; the connection does not keep it.
    /// </summary>
    public readonly void Observe(string key, string value) => _recorder.Observe(key, value);

    /// <summary>
    /// A figure the connection's Closed event carries in its Details (a bomb's compressed and inflated sizes, which
    /// metrics weigh by the bytes sent at close): kept with the connection until then, so only for the few a close
    /// needs, never for what the client sent. Escaped as for <see cref="Observe"/>.
    /// </summary>
    public readonly void Summarize(string key, string value) => _recorder.Summarize(key, value);

    /// <summary>Publishes an Observed event now with this finding and this step's others (e.g. each credential offered, a request capture).</summary>
    public readonly void Publish(string key, string value) => _recorder.Publish(key, value);

    /// <summary>
    /// HTTP: the connection's first request head is read, with its forwarding fields (null when none). When the peer is
    /// a trusted proxy, the engine names the client by them before the next event; from anyone else it ignores them.
    /// Call it before <see cref="MarkVerified"/>, once.
    /// </summary>
    public readonly void NameClient(ForwardingFields? fields) => _recorder.NameClient(fields);
}
