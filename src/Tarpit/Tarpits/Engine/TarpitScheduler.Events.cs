using Tarpit.Tarpits.Events;
using Tarpit.Text;

namespace Tarpit.Tarpits.Engine;

/// <summary>The scheduler is the sessions' <see cref="ISessionRecorder"/>: it knows which connection is stepping.</summary>
internal sealed partial class TarpitScheduler : ISessionRecorder
{
    /// <summary>Escaped length kept of what a client sent first: enough for a request line or an SSH version.</summary>
    public const int MaxFirstBytesLength = AttackerText.DefaultMaxLength;

    private HeldConnection? _current;

    void ISessionRecorder.MarkVerified()
    {
        var connection = Current();
        if (connection.Verified)
        {
            return;
        }

        connection.Verified = true;
        EnsureOpened(connection);
        _events.Publish(EventOf(ConnectionEventKind.Verified, connection, NowTicks(), Snapshot(connection)));
    }

    void ISessionRecorder.RecordFirstBytes(ReadOnlySpan<byte> bytes)
    {
        var connection = Current();
        if (connection.FirstBytes is null && !bytes.IsEmpty)
        {
            connection.FirstBytes = AttackerText.Escape(bytes, MaxFirstBytesLength);
        }
    }

    void ISessionRecorder.Observe(string key, string value) => Record(Current(), key, value);

    void ISessionRecorder.Publish(string key, string value)
    {
        var connection = Current();
        Dictionary<string, string> details;
        if (CaptureKeys.ProtocolOf(key) is null)
        {
            Record(connection, key, value);
            details = Snapshot(connection)!;
        }
        else
        {
            // A capture (up to 8 KiB of JSON each) leaves with its own event and is not kept with the connection.
            ArgumentNullException.ThrowIfNull(value);
            details = Snapshot(connection) ?? new Dictionary<string, string>(StringComparer.Ordinal);
            details[key] = value;
        }

        EnsureOpened(connection);
        _events.Publish(EventOf(ConnectionEventKind.Observed, connection, NowTicks(), details) with { ObservedKey = key });
    }

    /// <summary>A connection whose Opened waited for its head publishes it before any other event (with the peer if unnamed).</summary>
    private void EnsureOpened(HeldConnection connection)
    {
        if (!connection.OpenedPublished)
        {
            PublishOpened(connection, NowTicks());
        }
    }

    private static void Record(HeldConnection connection, string key, string value)
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
    private static Dictionary<string, string>? Snapshot(HeldConnection connection) =>
        connection.Details is { } details ? new Dictionary<string, string>(details, StringComparer.Ordinal) : null;

    private HeldConnection Current() =>
        _current ?? throw new InvalidOperationException("A SessionContext was used outside the Step it was given to.");

    private ConnectionEvent EventOf(ConnectionEventKind kind, HeldConnection connection, long now, IReadOnlyDictionary<string, string>? details) => new(
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
