using System.Globalization;

namespace Tarpit.Crowdsec;

/// <summary>
/// Go's <c>time.Duration.String()</c> text, as the LAPI writes a decision's remaining time: <c>"4h"</c>,
/// <c>"3h59m58.5s"</c>, <c>"150ms"</c>, <c>"-2m3s"</c>; units h, m, s, ms, us/µs, ns.
/// </summary>
internal static class GoDuration
{
    /// <summary>Go's durations fit an int64 of nanoseconds (~292 years); text longer than this is not one.</summary>
    public const int MaxLength = 40;

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            return false;
        }

        var span = text.AsSpan();
        var negative = span[0] == '-';
        if (span[0] is '-' or '+')
        {
            span = span[1..];
        }

        if (span is "0")
        {
            return true;
        }

        double totalNs = 0;
        var any = false;
        while (!span.IsEmpty)
        {
            var digits = 0;
            while (digits < span.Length && (char.IsAsciiDigit(span[digits]) || span[digits] == '.'))
            {
                digits++;
            }

            if (digits == 0 || !double.TryParse(span[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            span = span[digits..];
            var (unitNs, unitLength) = span switch
            {
                _ when span.StartsWith("ns") => (1d, 2),
                _ when span.StartsWith("us") => (1e3, 2),
                _ when span.StartsWith("µs") => (1e3, 2),
                _ when span.StartsWith("ms") => (1e6, 2),
                _ when span.StartsWith("h") => (3600e9, 1),
                _ when span.StartsWith("m") => (60e9, 1),
                _ when span.StartsWith("s") => (1e9, 1),
                _ => (0d, 0),
            };
            if (unitLength == 0)
            {
                return false;
            }

            span = span[unitLength..];
            totalNs += number * unitNs;
            any = true;
        }

        if (!any || totalNs > TimeSpan.MaxValue.Ticks * 100d)
        {
            return false;
        }

        value = TimeSpan.FromTicks((long)(totalNs / 100d) * (negative ? -1 : 1));
        return true;
    }
}
