using System.Runtime.CompilerServices;

namespace Tarpit.Detection.Filters;

/// <summary>
/// Splits a log line into timestamp, program, pid and message, for the shapes the syslogds of Debian, RHEL, Alpine and
/// the BSDs write (the same prefixes fail2ban's <c>common.conf</c> reads with <c>logtype = file</c> and <c>rfc5424</c>):
/// <list type="bullet">
/// <item>RFC 3339 (rsyslog on Debian 12, fractional seconds optional): <c>2026-11-23T10:00:00.123456+00:00 host sshd[123]: msg</c></item>
/// <item>RFC 3164, day padded or not, with or without a host name: <c>Nov 23 10:00:00 host sshd[123]: msg</c>, <c>Jun 7 01:10:56 sshd[123]: msg</c></item>
/// <item>RFC 5424: <c>&lt;38&gt;1 2019-07-08T17:40:16.95-04:00 host sshd 57915 - [sd] msg</c></item>
/// <item>BSD <c>syslogd -v</c> (<c>&lt;4.3&gt;</c>, <c>&lt;auth.info&gt;</c> before the host), <c>kernel: [12.34]</c> before the tag,
/// <c>[sshd]</c> and <c>sshd(pam_unix)[1]:</c> tags, Solaris' <c>[ID 800047 auth.info]</c> before the message</item>
/// <item>bare lines (<c>sshd -E FILE</c>, access logs), also <c>host sshd[123]: msg</c> without a time (journalctl <c>-o cat</c>-like dumps)</item>
/// </list>
/// </summary>
internal static partial class SyslogLine
{
    /// <summary>A syslog tag is at most 32 characters (RFC 3164 §4.1.3); allow a pid and brackets on top.</summary>
    public const int MaxTagLength = 32 + 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static LogView Parse(ReadOnlySpan<char> line, DateTimeOffset readAt, TimeProvider time)
    {
        TimestampKind kind;
        ReadOnlySpan<char> timestamp;
        ReadOnlySpan<char> rest;
        int traditional;
        if (line.Length > 0 && line[0] == '<' && TryRfc5424(line, readAt, time, out var structured))
        {
            return structured;
        }

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
        else if ((traditional = SyslogTimestamp.TraditionalPrefixLength(line)) > 0)
        {
            kind = TimestampKind.Traditional;
            timestamp = line[..traditional];
            rest = line[(traditional + 1)..].TrimStart(' ');
        }
        else
        {
            return BareOrTagged(line, readAt, time);
        }

        rest = SkipBsdVerbose(rest);
        if (!TrySplitHeader(rest, hostOptional: true, out var program, out var pid, out var message))
        {
            // no tag: the message is what follows the host name (or the time, when there is only one word)
            var hostEnd = rest.IndexOf(' ');
            return new LogView(line, hostEnd > 0 ? rest[(hostEnd + 1)..] : rest, default, 0, timestamp, kind, readAt, time);
        }

        return new LogView(line, message, program, pid, timestamp, kind, readAt, time);
    }

    /// <summary>A journal entry: the message, identifier and pid are already separate, the time is known.</summary>
    public static LogView Structured(ReadOnlySpan<char> message, ReadOnlySpan<char> program, DateTimeOffset timestamp, TimeProvider time, int pid = 0) =>
        new(message, SkipMessageNoise(message), program, pid, default, TimestampKind.Known, timestamp, time);

    /// <summary>Either shape, as a source delivered it.</summary>
    public static LogView Parse(in LogLine line, TimeProvider time) =>
        line.Timestamp is { } known
            ? Structured(line.Text, line.Program, known, time, line.Pid)
            : Parse(line.Text, line.ReadAt, time);

    /// <summary>A line without a time: a bare message, unless it starts with a strict <c>[host ]name[pid]:</c> header.</summary>
    private static LogView BareOrTagged(ReadOnlySpan<char> line, DateTimeOffset readAt, TimeProvider time) =>
        TrySplitHeader(line, hostOptional: true, out var program, out var pid, out var message) && pid > 0
            ? new LogView(line, message, program, pid, default, TimestampKind.ReadAt, readAt, time)
            : Bare(line, readAt, time);

    private static LogView Bare(ReadOnlySpan<char> line, DateTimeOffset readAt, TimeProvider time) =>
        new(line, line, default, 0, default, TimestampKind.ReadAt, readAt, time);
}
