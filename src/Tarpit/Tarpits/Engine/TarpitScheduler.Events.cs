using Tarpit.Tarpits.Events;
using Tarpit.Text;

namespace Tarpit.Tarpits.Engine;

/// <summary>
/// The scheduler is the sessions' <see cref="ISessionRecorder"/>: it knows which connection is stepping. What a session
/// observes leaves the engine with the events of the step that observed it (issue 16): the findings of one step ride on
/// the next event the step publishes (Verified, or the Observed event of a <see cref="ISessionRecorder.Publish"/>),
/// and those no event took go out in one Observed event when the step returns; a held connection keeps none of them.
/// Only what a session summarizes for its close (<see cref="ISessionRecorder.Summarize"/>) stays with the connection.
/// </summary>
internal sealed partial class TarpitScheduler : ISessionRecorder
{
    /// <summary>Escaped length kept of what a client sent first: enough for a request line or an SSH version.</summary>
    public const int MaxFirstBytesLength = AttackerText.DefaultMaxLength;

    /// <summary>The slot of the connection whose session is stepping, or -1.</summary>
    private int _current = -1;

    /// <summary>What the stepping session observed that no event has carried yet; handed to the event that does.</summary>
    private Dictionary<string, string>? _findings;

    /// <summary>The last connection whose first bytes an event escaped, and their text (<see cref="FirstBytesOf"/>).</summary>
    private (long Id, string? Text) _firstBytesText;

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
        _events.Publish(EventOf(ConnectionEventKind.Verified, slot, NowTicks(), TakeFindings()));
    }

    void ISessionRecorder.RecordFirstBytes(ReadOnlySpan<byte> bytes)
    {
        ref var connection = ref _table[Current()];
        if (!connection.HasFirstBytes && !bytes.IsEmpty)
        {
            connection.KeepFirstBytes(bytes);
        }
    }

    void ISessionRecorder.Observe(string key, string value)
    {
        _ = Current();
        Add(ref _findings, key, value);
    }

    void ISessionRecorder.Summarize(string key, string value)
    {
        ref var connection = ref _table[Current()];
        var summary = connection.Summary;
        Add(ref summary, key, value);
        connection.Summary = summary;
    }

    void ISessionRecorder.Publish(string key, string value)
    {
        var slot = Current();
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);

        // A capture (up to 8 KiB of JSON each) or a credential leaves with its own event, with this step's findings.
        var details = TakeFindings() ?? new Dictionary<string, string>(StringComparer.Ordinal);
        details[key] = value;
        EnsureOpened(slot);
        _events.Publish(EventOf(ConnectionEventKind.Observed, slot, NowTicks(), details, key));
    }

    /// <summary>The step returned: what it observed that no event carried leaves in an Observed event of its own.</summary>
    private void PublishFindings(int slot)
    {
        if (TakeFindings() is { } findings)
        {
            EnsureOpened(slot);
            _events.Publish(EventOf(ConnectionEventKind.Observed, slot, NowTicks(), findings));
        }
    }

    private Dictionary<string, string>? TakeFindings()
    {
        var findings = _findings;
        _findings = null;
        return findings;
    }

    /// <summary>A connection whose Opened waited for its head publishes it before any other event (with the peer if unnamed).</summary>
    private void EnsureOpened(int slot)
    {
        if (!_table[slot].OpenedPublished)
        {
            PublishOpened(slot, NowTicks());
        }
    }

    /// <summary>Adds a finding, at most <see cref="MaxDetails"/> distinct keys (a later value of a key replaces it).</summary>
    private static void Add(ref Dictionary<string, string>? details, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        details ??= new Dictionary<string, string>(StringComparer.Ordinal);
        if (details.Count < MaxDetails || details.ContainsKey(key))
        {
            details[key] = value;
        }
    }

    /// <summary>
    /// The connection's first bytes, escaped; the last connection's text is remembered, so the events of one step
    /// (Verified and an Observed capture) escape them once. Ids are never reused and first bytes never change once kept.
    /// </summary>
    private string? FirstBytesOf(ref HeldConnection connection)
    {
        if (!connection.HasFirstBytes)
        {
            return null;
        }

        if (_firstBytesText.Id != connection.Id)
        {
            _firstBytesText = (connection.Id, connection.FirstBytes!);
        }

        return _firstBytesText.Text;
    }

    private int Current() =>
        _current >= 0 ? _current : throw new InvalidOperationException("A SessionContext was used outside the Step it was given to.");

    /// <summary>The event of the connection in <paramref name="slot"/> as it is now; <paramref name="observedKey"/> names an Observed event's published key (made in one go, not copied with <c>with</c>).</summary>
    private ConnectionEvent EventOf(ConnectionEventKind kind, int slot, long now, IReadOnlyDictionary<string, string>? details, string? observedKey = null) =>
        EventOf(kind, ref _table[slot], now, details, observedKey);

    private ConnectionEvent EventOf(ConnectionEventKind kind, ref HeldConnection connection, long now, IReadOnlyDictionary<string, string>? details, string? observedKey) => new(
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
        FirstBytesOf(ref connection),
        connection.BytesSent,
        TimeSpan.FromTicks(now - connection.AcceptedTicks),
        details)
    {
        Proxy = connection.Proxy,
        ObservedKey = observedKey,
    };
}
