namespace Tarpit.Detection.Filters;

/// <summary>The part of a syslog line between its time and its message: host, kernel prefix, tag and pid.</summary>
internal static partial class SyslogLine
{
    /// <summary>Linux pids are at most 2^22 (PID_MAX_LIMIT, 7 digits); BSDs stay below 2^31. More digits are not a pid.</summary>
    public const int MaxPidDigits = 10;

    /// <summary>
    /// Splits <c>[host ][kernel: [secs] ][@vserver ]tag message</c>. The tag is one of <c>name[pid]:</c>, <c>name:</c>,
    /// <c>name[pid]</c>, <c>[name]:</c>, <c>[name]</c>, <c>name(x)[pid]:</c> (fail2ban's <c>__daemon_combs_re</c>).
    /// </summary>
    private static bool TrySplitHeader(ReadOnlySpan<char> rest, bool hostOptional, out ReadOnlySpan<char> program, out int pid, out ReadOnlySpan<char> message)
    {
        if (hostOptional && TryTag(rest, out program, out pid, out message))
        {
            return true;
        }

        var hostEnd = rest.IndexOf(' ');
        if (hostEnd <= 0)
        {
            program = message = default;
            pid = 0;
            return false;
        }

        var afterHost = SkipVserver(SkipKernelPrefix(rest[(hostEnd + 1)..].TrimStart(' ')));
        return TryTag(afterHost, out program, out pid, out message);
    }

    /// <summary>Reads a tag at the start of <paramref name="text"/>; the message is what follows it (Solaris id skipped).</summary>
    private static bool TryTag(ReadOnlySpan<char> text, out ReadOnlySpan<char> program, out int pid, out ReadOnlySpan<char> message)
    {
        program = message = default;
        pid = 0;
        var end = text[..Math.Min(text.Length, MaxTagLength + 1)].IndexOf(' ');
        if (end <= 0)
        {
            return false;
        }

        var tag = text[..end];
        var colon = tag[^1] == ':';
        if (colon)
        {
            tag = tag[..^1];
        }

        if (tag.IsEmpty)
        {
            return false;
        }

        ReadOnlySpan<char> name;
        var bracketed = false;
        if (tag[0] is '[' or '(')
        {
            // [sshd] or (sshd)
            if (tag.Length < 3 || tag[^1] is not (']' or ')'))
            {
                return false;
            }

            name = tag[1..^1];
            bracketed = true;
        }
        else
        {
            var open = tag.IndexOf('[');
            if (open >= 0)
            {
                if (tag[^1] != ']' || !TryPid(tag[(open + 1)..^1], out pid))
                {
                    return false;
                }

                name = tag[..open];
                bracketed = true;
            }
            else
            {
                name = tag;
            }

            // sshd(pam_unix)[4920]: the part in parentheses names a module, not the program
            var paren = name.IndexOf('(');
            if (paren > 0 && name[^1] == ')')
            {
                name = name[..paren];
            }
        }

        if ((!colon && !bracketed) || !IsProgramName(name))
        {
            program = default;
            pid = 0;
            return false;
        }

        program = name;
        message = SkipMessageNoise(text[(end + 1)..].TrimStart(' '));
        return true;
    }

    private static bool IsProgramName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > MaxTagLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.' or '/'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryPid(ReadOnlySpan<char> digits, out int pid)
    {
        pid = 0;
        if (digits.IsEmpty || digits.Length > MaxPidDigits)
        {
            return false;
        }

        long value = 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        if (value is <= 0 or > int.MaxValue)
        {
            return false;
        }

        pid = (int)value;
        return true;
    }

    /// <summary><c>kernel: [769570.846956] </c> (fail2ban's <c>__kernel_prefix</c>): a syslogd's kernel-time stamp before the tag.</summary>
    private static ReadOnlySpan<char> SkipKernelPrefix(ReadOnlySpan<char> text)
    {
        if (!text.StartsWith("kernel:"))
        {
            return text;
        }

        var rest = text[7..].TrimStart(' ');
        if (rest.IsEmpty || rest[0] != '[')
        {
            return text;
        }

        var close = rest.IndexOf(']');
        if (close < 0 || !IsKernelSeconds(rest[1..close].TrimStart(' ')))
        {
            return text;
        }

        rest = rest[(close + 1)..];
        if (!rest.IsEmpty && rest[0] == ':')
        {
            rest = rest[1..];
        }

        return rest.TrimStart(' ');
    }

    private static bool IsKernelSeconds(ReadOnlySpan<char> text)
    {
        var dot = text.IndexOf('.');
        return dot > 0 && dot < text.Length - 1 && text[..dot].IndexOfAnyExceptInRange('0', '9') < 0 && text[(dot + 1)..].IndexOfAnyExceptInRange('0', '9') < 0;
    }

    /// <summary><c>@vserver_name </c> (fail2ban's <c>__vserver</c>): a Linux-VServer context before the tag.</summary>
    private static ReadOnlySpan<char> SkipVserver(ReadOnlySpan<char> text)
    {
        if (!text.StartsWith("@vserver_"))
        {
            return text;
        }

        var space = text.IndexOf(' ');
        return space > 0 ? text[(space + 1)..] : text;
    }

    /// <summary><c>&lt;4.3&gt; </c> or <c>&lt;auth.info&gt; </c>: what BSD <c>syslogd -v</c>/<c>-vv</c> write before the host.</summary>
    private static ReadOnlySpan<char> SkipBsdVerbose(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || text[0] != '<')
        {
            return text;
        }

        var close = text.IndexOf("> ");
        return close > 2 && close <= MaxTagLength && text[1..close].Contains('.') && !text[1..close].Contains(' ')
            ? text[(close + 2)..]
            : text;
    }

    /// <summary>What some syslogds put between the tag and the message: a kernel-time stamp, Solaris' message id.</summary>
    private static ReadOnlySpan<char> SkipMessageNoise(ReadOnlySpan<char> message) =>
        message.IsEmpty ? message : SkipSolarisId(message[0] == 'k' ? SkipKernelPrefix(message) : message);

    /// <summary>Solaris' <c>[ID 800047 auth.info] </c> message id, before the message proper (fail2ban's <c>__daemon_extra_re</c>).</summary>
    private static ReadOnlySpan<char> SkipSolarisId(ReadOnlySpan<char> message)
    {
        if (!message.StartsWith("[ID "))
        {
            return message;
        }

        var close = message[..Math.Min(message.Length, MaxTagLength + 2)].IndexOf("] ");
        if (close < 0)
        {
            return message;
        }

        var id = message[4..close];
        var space = id.IndexOf(' ');
        return space > 0 && id[..space].IndexOfAnyExceptInRange('0', '9') < 0 && !id[(space + 1)..].Contains(' ')
            ? message[(close + 2)..]
            : message;
    }
}
