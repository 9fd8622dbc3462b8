using System.Runtime.CompilerServices;

namespace Tarpit.Detection.Filters;

/// <summary>
/// Splits a log line into timestamp, program and message. Understands the RFC 3339 prefix rsyslog writes on Debian 12
/// (<c>2026-11-23T10:00:00.123456+00:00 host sshd[123]: msg</c>), the traditional RFC 3164 one
/// (<c>Nov 23 10:00:00 host sshd[123]: msg</c>), and bare lines with no prefix at all (<c>sshd -E FILE</c>, access logs).
/// </summary>
internal static class SyslogLine
{
    /// <summary>A syslog tag is at most 32 characters (RFC 3164 §4.1.3); allow a pid and brackets on top.</summary>
    public const int MaxTagLength = 32 + 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static LogView Parse(ReadOnlySpan<char> line, DateTimeOffset readAt, TimeProvider time)
    {
        TimestampKind kind;
        ReadOnlySpan<char> timestamp;
        ReadOnlySpan<char> rest;
        if (SyslogTimestamp.LooksLikeRfc3339(line))
        {
            var space = line.IndexOf(' ');
            if (space < 0)
            {
                return Bare(line, readAt, time);
            }

            kind = TimestampKind.Rfc3339;
            timestamp = line[..space];
            rest = line[(space + 1)..];
        }
        else if (SyslogTimestamp.LooksLikeTraditional(line))
        {
            kind = TimestampKind.Traditional;
            timestamp = line[..SyslogTimestamp.TraditionalLength];
            rest = line[(SyslogTimestamp.TraditionalLength + 1)..];
        }
        else
        {
            return Bare(line, readAt, time);
        }

        // host SP tag ": " message
        var hostEnd = rest.IndexOf(' ');
        if (hostEnd <= 0)
        {
            return new LogView(line, rest, default, timestamp, kind, readAt, time);
        }

        var afterHost = rest[(hostEnd + 1)..];
        var colon = afterHost[..Math.Min(afterHost.Length, MaxTagLength + 2)].IndexOf(": ");
        if (colon <= 0)
        {
            return new LogView(line, afterHost, default, timestamp, kind, readAt, time);
        }

        var tag = afterHost[..colon];
        var bracket = tag.IndexOf('[');
        var program = bracket >= 0 ? tag[..bracket] : tag;
        return new LogView(line, afterHost[(colon + 2)..], program, timestamp, kind, readAt, time);
    }

    /// <summary>A journal entry: the message and identifier are already separate, the time is known.</summary>
    public static LogView Structured(ReadOnlySpan<char> message, ReadOnlySpan<char> program, DateTimeOffset timestamp, TimeProvider time) =>
        new(message, message, program, default, TimestampKind.Known, timestamp, time);

    /// <summary>Either shape, as a source delivered it.</summary>
    public static LogView Parse(in LogLine line, TimeProvider time) =>
        line.Timestamp is { } known
            ? Structured(line.Text, line.Program, known, time)
            : Parse(line.Text, line.ReadAt, time);

    private static LogView Bare(ReadOnlySpan<char> line, DateTimeOffset readAt, TimeProvider time) =>
        new(line, line, default, default, TimestampKind.ReadAt, readAt, time);
}
