using System.Globalization;
using System.Text;

namespace Tarpit.Config;

/// <summary>
/// Durations as admins write them: <c>250ms</c>, <c>90s</c>, <c>10m</c>, <c>1h</c>, <c>7d</c>, <c>1w</c>, combinations
/// in descending order like <c>1h30m</c>; a plain integer is seconds. Used by the config and by CLI options.
/// </summary>
internal static class DurationSyntax
{
    /// <summary>What the error messages list as allowed.</summary>
    public const string Allowed = "a duration like 250ms, 90s, 10m, 1h30m, 7d (units: ms s m h d w), or whole seconds";

    /// <summary>
    /// The longest duration any key or option takes: 3650 days (about ten years), longer than any sane ban. It is far
    /// inside what every consumer holds: <see cref="TimeSpan"/> (about 29,000 years), <c>DateTimeOffset.UtcNow + Max</c>
    /// (year 9999), and the kernel's set element timeout, which <c>nf_msecs_to_jiffies64</c> in
    /// net/netfilter/nf_tables_api.c refuses (ERANGE) from <c>U64_MAX / NSEC_PER_MSEC</c> ms on (about 584 years). nft
    /// itself refuses a number of 9 or more digits in a time ("value too large", nft 1.0.6 on Debian 12, measured), which
    /// is why <c>NftBatch.Timeout</c> writes long timeouts in days.
    /// </summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(3650);

    /// <summary>Digits of one number: more can never fit under <see cref="Max"/> in any unit (3650d is 315360000000ms, 12 digits).</summary>
    private const int MaxDigits = 12;

    private static readonly (string Unit, TimeSpan Size)[] Units =
    [
        ("w", TimeSpan.FromDays(7)),
        ("d", TimeSpan.FromDays(1)),
        ("h", TimeSpan.FromHours(1)),
        ("m", TimeSpan.FromMinutes(1)),
        ("s", TimeSpan.FromSeconds(1)),
        ("ms", TimeSpan.FromMilliseconds(1)),
    ];

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            if (seconds > Max.TotalSeconds)
            {
                return false;
            }

            value = TimeSpan.FromSeconds(seconds);
            return true;
        }

        var total = TimeSpan.Zero;
        var lastUnitIndex = -1;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == start || i - start > MaxDigits)
            {
                return false;
            }

            var number = long.Parse(s.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture);
            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetterLower(s[i]))
            {
                i++;
            }

            var unitIndex = Array.FindIndex(Units, u => s.AsSpan(unitStart, i - unitStart).SequenceEqual(u.Unit));
            if (unitIndex < 0 || unitIndex <= lastUnitIndex)
            {
                return false;
            }

            // Checked before multiplying: 10000000w is 70 million days, beyond what a TimeSpan holds (OverflowException).
            lastUnitIndex = unitIndex;
            var size = Units[unitIndex].Size;
            if (number > (Max - total).Ticks / size.Ticks)
            {
                return false;
            }

            total += size * number;
        }

        value = total;
        return true;
    }

    /// <summary>The shortest exact spelling, e.g. <c>1h30m</c>, <c>250ms</c>, <c>0s</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            return "0s";
        }

        var builder = new StringBuilder();
        var rest = value;
        foreach (var (unit, size) in Units.Where(u => u.Unit != "w"))
        {
            var count = rest.Ticks / size.Ticks;
            if (count > 0)
            {
                builder.Append(count.ToString(CultureInfo.InvariantCulture)).Append(unit);
                rest -= size * count;
            }
        }

        return builder.Length == 0 ? "0s" : builder.ToString();
    }
}
