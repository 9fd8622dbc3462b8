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

    /// <summary>Longer than any sane ban, short enough that DateTimeOffset arithmetic cannot overflow.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(3650);

    private static readonly (string Unit, TimeSpan Size)[] s_units =
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

            if (i == start || i - start > 9)
            {
                return false;
            }

            var number = long.Parse(s.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture);
            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetterLower(s[i]))
            {
                i++;
            }

            var unitIndex = Array.FindIndex(s_units, u => s.AsSpan(unitStart, i - unitStart).SequenceEqual(u.Unit));
            if (unitIndex < 0 || unitIndex <= lastUnitIndex)
            {
                return false;
            }

            lastUnitIndex = unitIndex;
            total += s_units[unitIndex].Size * number;
            if (total > Max)
            {
                return false;
            }
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
        foreach (var (unit, size) in s_units.Where(u => u.Unit != "w"))
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
