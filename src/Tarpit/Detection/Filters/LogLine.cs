namespace Tarpit.Detection.Filters;

/// <summary>
/// One line from a log source, as it travels from the source to the judge through a bounded channel.
/// </summary>
/// <param name="Text">A whole line from a file (syslog prefix and all), or the journal's <c>MESSAGE</c>.</param>
/// <param name="ReadAt">When the source read it: the timestamp of lines that carry none (<c>sshd -E</c>).</param>
/// <param name="Timestamp">The time the source knows for it (journald), or null to take it from the text.</param>
/// <param name="Program">The program that logged it when the source knows it (journald <c>SYSLOG_IDENTIFIER</c>, else <c>_COMM</c>).</param>
/// <param name="Pid">The pid that logged it when the source knows it (journald <c>SYSLOG_PID</c>, else <c>_PID</c>), or 0.</param>
internal readonly record struct LogLine(string Text, DateTimeOffset ReadAt, DateTimeOffset? Timestamp = null, string? Program = null, int Pid = 0)
{
    /// <summary>True for journal entries: <see cref="Text"/> is the bare message, there is no syslog prefix to strip.</summary>
    public bool IsStructured => Timestamp is not null;
}
