namespace Tarpit.Detection.Filters;

/// <summary>
/// A line split into what a filter needs, without copying: the message, the program that logged it (empty when the
/// line carries none) and where its timestamp is. The timestamp is parsed only when a filter matched.
/// </summary>
internal readonly ref struct LogView
{
    private readonly ReadOnlySpan<char> _timestampText;
    private readonly TimestampKind _kind;
    private readonly DateTimeOffset _known;
    private readonly TimeProvider _time;

    public LogView(ReadOnlySpan<char> line, ReadOnlySpan<char> message, ReadOnlySpan<char> program, ReadOnlySpan<char> timestampText, TimestampKind kind, DateTimeOffset known, TimeProvider time)
    {
        Line = line;
        Message = message;
        Program = program;
        _timestampText = timestampText;
        _kind = kind;
        _known = known;
        _time = time;
    }

    /// <summary>The whole line as read.</summary>
    public ReadOnlySpan<char> Line { get; }

    /// <summary>The message after the syslog prefix, or the whole line when it has none.</summary>
    public ReadOnlySpan<char> Message { get; }

    /// <summary>The syslog tag without the pid (<c>sshd</c>, <c>sshd-session</c>), or empty when the line has none.</summary>
    public ReadOnlySpan<char> Program { get; }

    /// <summary>True when the line had a syslog prefix (or came from the journal with an identifier).</summary>
    public bool HasProgram => !Program.IsEmpty;

    /// <summary>The line's own time when it has one; otherwise when it was read.</summary>
    public DateTimeOffset Timestamp => _kind switch
    {
        TimestampKind.Rfc3339 when SyslogTimestamp.TryParseRfc3339(_timestampText, out var t) => t,
        TimestampKind.Traditional when SyslogTimestamp.TryParseTraditional(_timestampText, _time, out var t) => t,
        _ => _known,
    };

    /// <summary>True when the line carries a time of its own (not just the time it was read).</summary>
    public bool HasOwnTimestamp => _kind is TimestampKind.Rfc3339 or TimestampKind.Traditional or TimestampKind.Known;
}
