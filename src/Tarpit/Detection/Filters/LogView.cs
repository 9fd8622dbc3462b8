namespace Tarpit.Detection.Filters;

/// <summary>
/// A line split into what a filter needs, without copying: the message, the program that logged it (empty when the
/// line carries none), its pid (0 when unknown) and where its timestamp is. The timestamp is parsed only when a filter
/// asks for it.
/// </summary>
internal readonly ref struct LogView
{
    private readonly DateTimeOffset _known;
    private readonly TimeProvider _time;

    public LogView(ReadOnlySpan<char> line, ReadOnlySpan<char> message, ReadOnlySpan<char> program, int pid, ReadOnlySpan<char> timestampText, TimestampKind kind, DateTimeOffset known, TimeProvider time)
    {
        Line = line;
        Message = message;
        Program = program;
        Pid = pid;
        TimestampText = timestampText;
        Kind = kind;
        _known = known;
        _time = time;
    }

    /// <summary>The whole line as read.</summary>
    public ReadOnlySpan<char> Line { get; }

    /// <summary>The message after the syslog prefix, or the whole line when it has none.</summary>
    public ReadOnlySpan<char> Message { get; }

    /// <summary>The syslog tag without the pid (<c>sshd</c>, <c>sshd-session</c>), or empty when the line has none.</summary>
    public ReadOnlySpan<char> Program { get; }

    /// <summary>The pid of the process that logged the line (<c>sshd[1234]</c>, journald's <c>_PID</c>), or 0 when unknown.</summary>
    public int Pid { get; }

    /// <summary>The timestamp as written, or empty.</summary>
    public ReadOnlySpan<char> TimestampText { get; }

    /// <summary>Where <see cref="Timestamp"/> comes from.</summary>
    public TimestampKind Kind { get; }

    /// <summary>True when the line had a syslog prefix (or came from the journal with an identifier).</summary>
    public bool HasProgram => !Program.IsEmpty;

    /// <summary>The line's own time when it has one; otherwise when it was read.</summary>
    public DateTimeOffset Timestamp => Kind switch
    {
        TimestampKind.Rfc3339 when SyslogTimestamp.TryParseRfc3339(TimestampText, out var t) => t,
        TimestampKind.Traditional when SyslogTimestamp.TryParseTraditional(TimestampText, _time, out var t) => t,
        _ => _known,
    };

    /// <summary>True when the line carries a time of its own (not just the time it was read).</summary>
    public bool HasOwnTimestamp => Kind is TimestampKind.Rfc3339 or TimestampKind.Traditional or TimestampKind.Known;
}
