using System.Runtime.CompilerServices;

namespace Tarpit.Detection.Filters;

/// <summary>Fast, allocation-free parsers for the two syslog timestamp shapes.</summary>
internal static class SyslogTimestamp
{
    /// <summary><c>Mmm dd hh:mm:ss</c>, the day space-padded (RFC 3164 §4.1.2).</summary>
    public const int TraditionalLength = 15;

    /// <summary><c>Mmm d hh:mm:ss</c>: the day not padded, as some BSD and busybox syslogds write it.</summary>
    public const int UnpaddedTraditionalLength = 14;

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>Inferred dates more than this far in the future belong to last year (a December line read in January).</summary>
    private static readonly TimeSpan FutureSlack = TimeSpan.FromDays(2);

    /// <summary>True when the span starts like an RFC 3339 timestamp: <c>YYYY-MM-DDT</c>.</summary>
    public static bool LooksLikeRfc3339(ReadOnlySpan<char> s) =>
        s.Length >= 20 && char.IsAsciiDigit(s[0]) && char.IsAsciiDigit(s[3]) && s[4] == '-' && s[7] == '-' && s[10] == 'T';

    /// <summary>True when the span starts like <c>Mmm dd hh:mm:ss </c>.</summary>
    public static bool LooksLikeTraditional(ReadOnlySpan<char> s) => TraditionalPrefixLength(s) > 0;

    /// <summary>
    /// The length of a traditional timestamp at the start of <paramref name="s"/> (followed by a space):
    /// <see cref="TraditionalLength"/>, <see cref="UnpaddedTraditionalLength"/> for <c>Jun 7 01:10:56</c>, or 0.
    /// </summary>
    public static int TraditionalPrefixLength(ReadOnlySpan<char> s)
    {
        if (s.Length <= UnpaddedTraditionalLength || s[3] != ' ' || MonthIndex(s[..3]) < 0)
        {
            return 0;
        }

        if (s.Length > TraditionalLength && s[6] == ' ' && s[9] == ':' && s[12] == ':' && s[15] == ' ')
        {
            return TraditionalLength;
        }

        return char.IsAsciiDigit(s[4]) && s[5] == ' ' && s[8] == ':' && s[11] == ':' && s[14] == ' ' ? UnpaddedTraditionalLength : 0;
    }

    /// <summary><c>yyyy-MM-ddTHH:mm:ss[.f…](Z|±hh:mm)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseRfc3339(ReadOnlySpan<char> s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':'
            || !TryDigits(s[..4], out var year) || !TryDigits(s[5..7], out var month) || !TryDigits(s[8..10], out var day)
            || !TryDigits(s[11..13], out var hour) || !TryDigits(s[14..16], out var minute) || !TryDigits(s[17..19], out var second))
        {
            return false;
        }

        var i = 19;
        long fractionTicks = 0;
        if (s[i] == '.')
        {
            i++;
            var scale = TimeSpan.TicksPerSecond / 10;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                fractionTicks += (s[i] - '0') * scale;
                scale /= 10;
                i++;
            }
        }

        TimeSpan offset;
        if (i < s.Length && s[i] is 'Z' or 'z')
        {
            offset = TimeSpan.Zero;
            i++;
        }
        else if (i + 6 <= s.Length && s[i] is '+' or '-' && s[i + 3] == ':'
            && TryDigits(s.Slice(i + 1, 2), out var oh) && TryDigits(s.Slice(i + 4, 2), out var om) && oh <= 14 && om < 60)
        {
            offset = new TimeSpan(oh, om, 0) * (s[i] == '-' ? -1 : 1);
            i += 6;
        }
        else
        {
            return false;
        }

        if (i != s.Length || !IsValid(year, month, day, hour, minute, second))
        {
            return false;
        }

        value = new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(fractionTicks);
        return true;
    }

    /// <summary><c>Mmm dd hh:mm:ss</c> in the local zone of <paramref name="time"/>; the year is the one that puts it closest before now.</summary>
    public static bool TryParseTraditional(ReadOnlySpan<char> s, TimeProvider time, out DateTimeOffset value)
    {
        value = default;
        if (s.Length == UnpaddedTraditionalLength)
        {
            // "Jun 7 01:10:56": read as the padded form, one character shorter
            Span<char> padded = stackalloc char[TraditionalLength];
            s[..4].CopyTo(padded);
            padded[4] = ' ';
            s[4..].CopyTo(padded[5..]);
            return TryParseTraditional(padded, time, out value);
        }

        if (s.Length < TraditionalLength)
        {
            return false;
        }

        var month = MonthIndex(s[..3]) + 1;
        var dayText = s.Slice(4, 2).TrimStart(' ');
        if (month == 0 || !TryDigits(dayText, out var day) || !TryDigits(s.Slice(7, 2), out var hour)
            || !TryDigits(s.Slice(10, 2), out var minute) || !TryDigits(s.Slice(13, 2), out var second))
        {
            return false;
        }

        var zone = time.LocalTimeZone;
        var now = time.GetUtcNow();
        var year = TimeZoneInfo.ConvertTime(now, zone).Year;
        for (var attempt = 0; attempt < 2; attempt++, year--)
        {
            if (!IsValid(year, month, day, hour, minute, second))
            {
                continue;
            }

            var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
            var candidate = new DateTimeOffset(local, zone.GetUtcOffset(local));
            if (candidate - now <= FutureSlack)
            {
                value = candidate;
                return true;
            }
        }

        return false;
    }

    private static int MonthIndex(ReadOnlySpan<char> name)
    {
        for (var i = 0; i < Months.Length; i++)
        {
            if (name.SequenceEqual(Months[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsValid(int year, int month, int day, int hour, int minute, int second) =>
        year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
        && hour < 24 && minute < 60 && second < 60;

    private static bool TryDigits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
