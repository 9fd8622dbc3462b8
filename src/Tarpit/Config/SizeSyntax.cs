using System.Globalization;

namespace Tarpit.Config;

/// <summary>
/// Sizes as admins write them: <c>64KiB</c>, <c>10MiB</c>, <c>1GiB</c> (binary), <c>64KB</c>, <c>10MB</c>, <c>1GB</c>
/// (decimal), <c>512B</c>, or a plain integer of bytes. Units are case-sensitive; no fractions, no spaces inside.
/// </summary>
internal static class SizeSyntax
{
    /// <summary>What the error messages list as allowed.</summary>
    public const string Allowed = "a size like 4096, \"64KiB\", \"10MiB\", \"1GiB\" (binary) or \"64KB\", \"10MB\", \"1GB\" (decimal)";

    public const long KiB = 1024;
    public const long MiB = 1024 * KiB;
    public const long GiB = 1024 * MiB;
    public const long TiB = 1024 * GiB;

    /// <summary>Far above any sane promised length or bomb, far below where arithmetic on it could overflow.</summary>
    public const long Max = TiB;

    private static readonly (string Unit, long Size)[] Units =
    [
        ("TiB", TiB),
        ("GiB", GiB),
        ("MiB", MiB),
        ("KiB", KiB),
        ("TB", 1_000_000_000_000),
        ("GB", 1_000_000_000),
        ("MB", 1_000_000),
        ("KB", 1_000),
        ("B", 1),
    ];

    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        var digits = 0;
        while (digits < s.Length && char.IsAsciiDigit(s[digits]))
        {
            digits++;
        }

        // 13 digits already exceed Max in bytes; refusing longer numbers keeps the multiplication below from overflowing.
        if (digits is 0 or > 13)
        {
            return false;
        }

        var number = long.Parse(s.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture);
        var unit = s[digits..];
        var size = unit.Length == 0 ? 1 : Array.Find(Units, u => u.Unit == unit).Size;
        if (size == 0 || number > Max / size)
        {
            return false;
        }

        bytes = number * size;
        return true;
    }

    /// <summary>The shortest exact spelling, binary units first: <c>1GiB</c>, <c>10MB</c>, <c>1000B</c> when nothing divides.</summary>
    public static string Format(long bytes)
    {
        foreach (var (unit, size) in Units)
        {
            if (bytes >= size && bytes % size == 0)
            {
                return (bytes / size).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return bytes.ToString(CultureInfo.InvariantCulture) + "B";
    }
}
