using Tarpit.Tarpits.Events;
using Tarpit.Text;

namespace Tarpit.Tarpits.Engine;

/// <summary>The scheduler is the sessions' <see cref="ISessionRecorder"/>: it knows which connection is stepping.</summary>
internal sealed partial class TarpitScheduler : ISessionRecorder
{
    /// <summary>Escaped length kept of what a client sent first: enough for a request line or an SSH version.</summary>
    public const int MaxFirstBytesLength = AttackerText.DefaultMaxLength;

    /// <summary>The slot of the connection whose session is stepping, or -1.</summary>
    private int _current = -1;

    void ISessionRecorder.MarkVerified()
    {
        var slot = Current();
        ref var connection = ref _table[slot];
        if (connection.Verified)
        {
            return;
        }

        connection.Verified = true;
        EnsureOpened(slot);
        _events.Publish(EventOf(ConnectionEventKind.Verified, slot, NowTicks(), Snapshot(ref connection)));
    }

    void ISessionRecorder.RecordFirstBytes(ReadOnlySpan<byte> bytes)
    {
        ref var connection = ref _table[Current()];
        if (connection.FirstBytes is null && !bytes.IsEmpty)
        {
            connection.FirstBytes = AttackerText.Escape(bytes, MaxFirstBytesLength);
        }
    }

    void ISessionRecorder.Observe(string key, string value) => Record(ref _table[Current()], key, value);

    void ISessionRecorder.Publish(string key, string value)
    {
        var slot = Current();
        ref var connection = ref _table[slot];
        Dictionary<string, string> details;
        if (CaptureKeys.ProtocolOf(key) is null)
        {
            Record(ref connection, key, value);
            details = Snapshot(ref connection)!;
        }
        else
        {
            // A capture (up to 8 KiB of JSON each) leaves with its own event and is not kept with the connection.
            ArgumentNullException.ThrowIfNull(value);
            details = Snapshot(ref connection) ?? new Dictionary<string, string>(StringComparer.Ordinal);
            details[key] = value;
        }

        EnsureOpened(slot);
        _events.Publish(EventOf(ConnectionEventKind.Observed, slot, NowTicks(), details) with { ObservedKey = key });
    }

    /// <summary>A connection whose Opened waited for its head publishes it before any other event (with the peer if unnamed).</summary>
    private void EnsureOpened(int slot)
    {
        if (!_table[slot].OpenedPublished)
        {
            PublishOpened(slot, NowTicks());
        }
    }

    private static void Record(ref HeldConnection connection, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        connection.Details ??= new Dictionary<string, string>(StringComparer.Ordinal);
        if (connection.Details.Count < MaxDetails || connection.Details.ContainsKey(key))
        {
            connection.Details[key] = value;
        }
    }

    /// <summary>Events other than Closed are read on the dispatcher while the session may still observe: copy.</summary>
    private static Dictionary<string, string>? Snapshot(ref HeldConnection connection) =>
        connection.Details is { } details ? new Dictionary<string, string>(details, StringComparer.Ordinal) : null;

    private int Current() =>
        _current >= 0 ? _current : throw new InvalidOperationException("A SessionContext was used outside the Step it was given to.");

    private ConnectionEvent EventOf(ConnectionEventKind kind, int slot, long now, IReadOnlyDictionary<string, string>? details) =>
        EventOf(kind, ref _table[slot], now, details);

    private ConnectionEvent EventOf(ConnectionEventKind kind, ref HeldConnection connection, long now, IReadOnlyDictionary<string, string>? details) => new(
        kind,
        connection.Id,
        _timeProvider.GetUtcNow(),
        connection.Tarpit.Name,
        connection.Tarpit.Protocol,
        connection.Tarpit.Mode.Name,
        connection.Remote,
        connection.LocalPort,
        connection.OriginalPort,
        connection.Tarpit.Config.Decoy,
        connection.Verified,
        connection.FirstBytes,
        connection.BytesSent,
        TimeSpan.FromTicks(now - connection.AcceptedTicks),
        details)
    {
        Proxy = connection.Proxy,
    };
}
