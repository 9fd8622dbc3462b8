namespace Tarpit.Detection.Filters;

/// <summary>
/// RFC 5424 §6: <c>&lt;PRI&gt;VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP STRUCTURED-DATA [SP MSG]</c>,
/// and the raw RFC 3164 datagram (<c>&lt;PRI&gt;Mmm dd hh:mm:ss tag: msg</c>) that glibc's syslog(3) sends.
/// </summary>
internal static partial class SyslogLine
{
    /// <summary>RFC 5424 §6.2.1: PRI is 1-3 digits in angle brackets.</summary>
    private const int MaxPriDigits = 3;

    /// <summary>RFC 5424 §6: a NILVALUE field.</summary>
    private const string Nil = "-";

    private static bool TryRfc5424(ReadOnlySpan<char> line, DateTimeOffset readAt, TimeProvider time, out LogView view)
    {
        view = default;
        var close = line[..Math.Min(line.Length, MaxPriDigits + 2)].IndexOf('>');
        if (close < 2 || line[1..close].IndexOfAnyExceptInRange('0', '9') >= 0)
        {
            return false;
        }

        var rest = line[(close + 1)..];
        if (rest.Length > 2 && char.IsAsciiDigit(rest[0]) && rest[1] == ' ')
        {
            return TryRfc5424Fields(line, rest[2..], readAt, time, out view);
        }

        // a raw RFC 3164 datagram: the PRI, then the usual prefix
        if (SyslogTimestamp.TraditionalPrefixLength(rest) > 0 || SyslogTimestamp.LooksLikeRfc3339(rest))
        {
            var inner = Parse(rest, readAt, time);
            view = new LogView(line, inner.Message, inner.Program, inner.Pid, inner.TimestampText, inner.Kind, readAt, time);
            return true;
        }

        return false;
    }

    private static bool TryRfc5424Fields(ReadOnlySpan<char> line, ReadOnlySpan<char> fields, DateTimeOffset readAt, TimeProvider time, out LogView view)
    {
        view = default;
        if (!NextField(ref fields, out var timestamp) || !NextField(ref fields, out _) || !NextField(ref fields, out var app)
            || !NextField(ref fields, out var procId) || !NextField(ref fields, out _))
        {
            return false;
        }

        // STRUCTURED-DATA: "-" or one or more [id param="value"...] elements; values may hold ']' inside quotes, or \" \] \\
        if (fields.StartsWith(Nil))
        {
            fields = fields[1..];
        }
        else
        {
            while (!fields.IsEmpty && fields[0] == '[')
            {
                var i = 1;
                var quoted = false;
                for (; i < fields.Length; i++)
                {
                    var c = fields[i];
                    if (c == '\\' && quoted)
                    {
                        i++;
                    }
                    else if (c == '"')
                    {
                        quoted = !quoted;
                    }
                    else if (c == ']' && !quoted)
                    {
                        break;
                    }
                }

                if (i >= fields.Length)
                {
                    return false;
                }

                fields = fields[(i + 1)..];
            }
        }

        var message = fields.IsEmpty ? fields : fields[0] == ' ' ? fields[1..] : default;
        if (!fields.IsEmpty && fields[0] != ' ')
        {
            return false;
        }

        // RFC 5424 §6.4: a UTF-8 message may start with a BOM
        if (!message.IsEmpty && message[0] == '\uFEFF')
        {
            message = message[1..];
        }

        var hasTime = timestamp is not Nil && SyslogTimestamp.LooksLikeRfc3339(timestamp);
        TryPid(procId, out var pid);
        view = new LogView(
            line,
            SkipMessageNoise(message),
            app is Nil ? default : app,
            pid,
            hasTime ? timestamp : default,
            hasTime ? TimestampKind.Rfc3339 : TimestampKind.ReadAt,
            readAt,
            time);
        return true;
    }

    private static bool NextField(scoped ref ReadOnlySpan<char> fields, out ReadOnlySpan<char> field)
    {
        var space = fields.IndexOf(' ');
        if (space <= 0)
        {
            field = default;
            return false;
        }

        field = fields[..space];
        fields = fields[(space + 1)..];
        return true;
    }
}
