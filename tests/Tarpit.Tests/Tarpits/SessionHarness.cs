using Tarpit.Tarpits;

namespace Tarpit.Tests.Tarpits;

/// <summary>
/// Drives one <see cref="ITarpitSession"/> the way the engine does, without sockets: a recorder for the
/// <see cref="SessionContext"/> event members and a helper that runs a Step and returns what it wrote.
/// For mode tests of every protocol.
/// </summary>
internal sealed class SessionHarness : ISessionRecorder
{
    private readonly byte[] _output = new byte[SessionContext.MinOutputCapacity];

    public SessionHarness(int seed = 1)
    {
        Random = new Random(seed);
    }

    public Random Random { get; }

    /// <summary>How many times the session called MarkVerified.</summary>
    public int VerifiedCount { get; private set; }

    public byte[]? FirstBytes { get; private set; }

    public Dictionary<string, string> Details { get; } = new(StringComparer.Ordinal);

    /// <summary>What the session summarized for its Closed event.</summary>
    public Dictionary<string, string> Summary { get; } = new(StringComparer.Ordinal);

    public List<KeyValuePair<string, string>> Published { get; } = [];

    /// <summary>The clock handed to the session; tests move it.</summary>
    public DateTimeOffset Now { get; set; } = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public TimeSpan Elapsed { get; set; }

    /// <summary>The client's address handed to the session.</summary>
    public System.Net.IPAddress? RemoteAddress { get; set; } = System.Net.IPAddress.Loopback;

    /// <summary>What the kernel "accepted" of the previous output; defaults to all of it.</summary>
    public int? NextLastSent { get; set; }

    /// <summary>The connection id the engine would give the session (the seed of SSH noise).</summary>
    public long ConnectionId { get; set; } = 1;

    /// <summary>The session's <see cref="SessionContext.State"/>, kept from one Step to the next as the engine keeps it.</summary>
    public ulong State { get; private set; }

    /// <summary>The session the stepped one handed the connection over to (<see cref="SessionContext.Next"/>), if it did.</summary>
    public ITarpitSession? HandedTo => _handedTo;

    private int _lastWritten;
    private ITarpitSession? _handedOver;
    private ITarpitSession? _handedTo;

    /// <summary>
    /// Runs one Step; returns the step and a copy of <c>Output[..Written]</c>. A session that handed the connection
    /// over (<see cref="SessionContext.Next"/>) is replaced by the one it named for the next Steps, as the engine does.
    /// </summary>
    public (SessionStep Step, byte[] Written) Step(ITarpitSession session, ReadOnlySpan<byte> received = default, bool inputTimedOut = false)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (ReferenceEquals(session, _handedOver))
        {
            session = _handedTo!;
        }

        var context = new SessionContext(this, _output, Random)
        {
            ConnectionId = ConnectionId,
            State = State,
            Received = received,
            InputTimedOut = inputTimedOut,
            LastSent = NextLastSent ?? _lastWritten,
            Elapsed = Elapsed,
            Now = Now,
            RemoteAddress = RemoteAddress,
        };
        NextLastSent = null;
        var step = session.Step(ref context);
        State = context.State;
        if (context.Next is { } next)
        {
            _handedOver ??= session;
            _handedTo = next;
        }

        Assert.InRange(context.Written, 0, _output.Length);
        _lastWritten = context.Written;
        return (step, _output.AsSpan(0, context.Written).ToArray());
    }

    /// <summary>What the session handed to NameClient, each call.</summary>
    public List<ForwardingFields?> Named { get; } = [];

    void ISessionRecorder.MarkVerified() => VerifiedCount++;

    void ISessionRecorder.NameClient(ForwardingFields? fields) => Named.Add(fields);

    void ISessionRecorder.RecordFirstBytes(ReadOnlySpan<byte> bytes) => FirstBytes ??= bytes.ToArray();

    void ISessionRecorder.Observe(string key, string value) => Details[key] = value;

    void ISessionRecorder.Summarize(string key, string value) => Summary[key] = value;

    void ISessionRecorder.Publish(string key, string value)
    {
        Details[key] = value;
        Published.Add(new(key, value));
    }
}
