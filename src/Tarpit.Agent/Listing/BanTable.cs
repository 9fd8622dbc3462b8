using System.Globalization;
using System.Text;
using Tarpit.Config;
using Tarpit.Net;

namespace Tarpit.Agent.Listing;

/// <summary>
/// The terminal table of <c>list</c>: one line per ban, columns padded to their widest cell and the whole fitted to
/// the terminal's width by eliding the middle of the shrinkable cells (reason first, then the AS name and the source),
/// then by leaving out the least useful columns (bytes, ASN, time trapped, sessions, …; <see cref="Fit"/>). Written
/// straight to the output, so 100,000 bans cost their lines and nothing more. The store keeps attacker text escaped
/// already (<see cref="Text.AttackerText"/>), so cells are printed as they are.
/// </summary>
internal static class BanTable
{
    /// <summary>The width used when the output is not a terminal (a file, a pager): nothing is elided below it.</summary>
    public const int RedirectedWidth = 200;

    /// <summary>Two spaces between columns.</summary>
    private const string Gap = "  ";

    private const string Ellipsis = "…";

    private static readonly string[] Headers =
        ["Address", "Country", "ASN", "Source", "Reason", "Banned since", "Expires in", "Bans", "Sessions", "Trapped", "Bytes sent", "Held now"];

    /// <summary>The columns that may be cut to fit, most first, each with the width it keeps at least.</summary>
    private static readonly (int Column, int MinWidth)[] Shrinkable = [(4, 16), (2, 10), (3, 8)];

    /// <summary>The columns dropped, in this order, when even the shrunk line is wider than the terminal.</summary>
    private static readonly int[] DropOrder = [10, 2, 9, 8, 7, 11, 5, 1, 3];

    /// <summary>The column of connections held now, shown only when the daemon answered.</summary>
    private const int HeldColumn = 11;

    /// <summary>Columns of numbers, aligned right.</summary>
    private static readonly bool[] RightAligned = [false, false, false, false, false, false, true, true, true, true, true, true];

    /// <summary>
    /// Writes the table; <paramref name="held"/> (connections held now per address, from the daemon) adds the
    /// "Held now" column and a total, null leaves both out. <paramref name="wide"/> fits nothing and shows the
    /// reason as stored.
    /// </summary>
    public static void Write(TextWriter output, IReadOnlyList<ListedBan> listed, bool all, DateTimeOffset now, int width, IReadOnlyDictionary<System.Net.IPAddress, int>? held = null, bool wide = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(listed);
        if (listed.Count == 0)
        {
            output.WriteLine(all ? "no bans recorded" : "nobody is redirected");
            return;
        }

        var rows = new string[listed.Count][];
        var minutes = new Dictionary<long, string>();
        for (var i = 0; i < listed.Count; i++)
        {
            rows[i] = Cells(listed[i], held, wide, minutes);
        }

        var natural = Widths(rows);
        if (held is null)
        {
            natural[HeldColumn] = 0;
        }

        var widths = wide ? natural : Fit(natural, width);
        var lines = new StringBuilder(ChunkLength + width + 16);
        WriteLine(output, lines, Headers, widths);
        WriteLine(output, lines, [.. widths.Select(w => new string('─', w))], widths);
        foreach (var row in rows)
        {
            WriteLine(output, lines, row, widths);
        }

        output.Write(lines);
        output.WriteLine(Footer(listed, now));
        if (held is not null)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{held.Values.Sum()} connection(s) held now by the running agent (tarpit-agent sessions lists them)"));
        }
    }

    /// <summary>Elides the middle of a cell to <paramref name="width"/> characters (at least 2: one each side of the ellipsis).</summary>
    internal static string Elide(string text, int width)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= width)
        {
            return text;
        }

        var keep = Math.Max(width - Ellipsis.Length, 2);
        var head = (keep + 1) / 2;
        return string.Concat(text.AsSpan(0, head), Ellipsis, text.AsSpan(text.Length - (keep - head)));
    }

    /// <summary>
    /// The column widths after shrinking the shrinkable columns to their minimum and then dropping the least useful
    /// columns (width 0) until the line fits; the address, reason and time left always stay. <c>--json</c> has it all.
    /// </summary>
    internal static int[] Fit(int[] natural, int width)
    {
        ArgumentNullException.ThrowIfNull(natural);
        var widths = (int[])natural.Clone();
        foreach (var (column, min) in Shrinkable)
        {
            var excess = Total(widths) - width;
            if (excess <= 0)
            {
                return widths;
            }

            widths[column] -= Math.Min(excess, Math.Max(0, widths[column] - min));
        }

        foreach (var column in DropOrder)
        {
            if (Total(widths) <= width)
            {
                break;
            }

            widths[column] = 0;
        }

        return widths;
    }

    /// <summary>The line's length: the shown columns and a gap between each two.</summary>
    private static int Total(int[] widths)
    {
        var shown = widths.Count(w => w > 0);
        return widths.Sum() + (Gap.Length * Math.Max(0, shown - 1));
    }

    private static int[] Widths(string[][] rows)
    {
        var widths = Headers.Select(h => h.Length).ToArray();
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Length; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }

        return widths;
    }

    /// <summary>
    /// Lines are collected and written in chunks of about this many characters: the console writes (and flushes) on
    /// every call, and 100,000 lines were 100,000 write(2) calls.
    /// </summary>
    private const int ChunkLength = 64 * 1024;

    /// <summary>Appends one line to <paramref name="lines"/>, and writes them out once they reach <see cref="ChunkLength"/>.</summary>
    private static void WriteLine(TextWriter output, StringBuilder lines, string[] cells, int[] widths)
    {
        var start = lines.Length;
        for (var c = 0; c < cells.Length; c++)
        {
            if (widths[c] == 0)
            {
                continue;
            }

            if (lines.Length > start)
            {
                lines.Append(Gap);
            }

            var cell = Elide(cells[c], widths[c]);
            var pad = widths[c] - cell.Length;
            if (RightAligned[c])
            {
                lines.Append(' ', pad).Append(cell);
            }
            else
            {
                lines.Append(cell).Append(' ', pad);
            }
        }

        while (lines.Length > start && char.IsWhiteSpace(lines[^1]))
        {
            lines.Length--;
        }

        lines.Append(output.NewLine);
        if (lines.Length >= ChunkLength)
        {
            output.Write(lines);
            lines.Clear();
        }
    }

    private static string[] Cells(ListedBan ban, IReadOnlyDictionary<System.Net.IPAddress, int>? held, bool wide, Dictionary<long, string> minutes)
    {
        var row = ban.Row;
        return
        [
            NetworkText.Format(row.Target),
            row.Geo?.CountryCode ?? "-",
            Asn(row.Geo),
            row.Source,
            wide ? row.Reason : ReasonText.Compact(row.Source, row.Reason),
            Minute(row.BannedAt, minutes),
            ExpiresIn(ban),
            row.BanCount.ToString(CultureInfo.InvariantCulture),
            row.Sessions.ToString(CultureInfo.InvariantCulture),
            DurationSyntax.Format(TimeSpan.FromSeconds(Math.Floor(row.TimeTrapped.TotalSeconds))),
            row.BytesSent.ToString("N0", CultureInfo.InvariantCulture),
            held is null ? "" : HeldBy(row.Target, held).ToString(CultureInfo.InvariantCulture),
        ];
    }

    /// <summary>
    /// <c>yyyy-MM-dd HH:mm</c> in local time, formatted once per minute: bans come in bursts, and converting and
    /// formatting each of 100,000 was a tenth of <c>list</c>.
    /// </summary>
    private static string Minute(DateTimeOffset time, Dictionary<long, string> minutes)
    {
        var minute = time.ToUnixTimeSeconds() / 60;
        if (!minutes.TryGetValue(minute, out var text))
        {
            text = time.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            minutes.Add(minute, text);
        }

        return text;
    }

    /// <summary>Connections held now from addresses inside <paramref name="target"/>.</summary>
    internal static int HeldBy(System.Net.IPNetwork target, IReadOnlyDictionary<System.Net.IPAddress, int> held) =>
        Networks.IsHost(target) ? held.GetValueOrDefault(target.BaseAddress) : held.Where(h => target.Contains(h.Key)).Sum(h => h.Value);

    /// <summary><c>AS64500 Example Attackers BV</c>, or <c>-</c> when unknown.</summary>
    private static string Asn(Tarpit.Geo.GeoInfo? geo) => geo?.Asn is { } asn
        ? string.Create(CultureInfo.InvariantCulture, $"AS{asn} {geo.AsnOrganization}").TrimEnd()
        : "-";

    private static string ExpiresIn(ListedBan ban) => ban switch
    {
        { Row.Active: false, Row.EndedAt: { } ended } => "ended " + ended.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        { InFirewall: false } => "not in nft",
        { Row.ExpiresAt: null } => "never",
        { ExpiresIn: { } left } => DurationSyntax.Format(TimeSpan.FromSeconds(Math.Max(0, Math.Floor(left.TotalSeconds)))),
        _ => "never",
    };

    /// <summary>
    /// The count line: the bans in force that the kernel redirects, and, apart, those it does not (a stopped daemon, a
    /// flushed ruleset): "N redirected" must never count a ban nobody enforces.
    /// </summary>
    internal static string Footer(IReadOnlyList<ListedBan> listed, DateTimeOffset now)
    {
        var inForce = listed.Count(b => b.Row.Active);
        var missing = listed.Count(b => b.Row.Active && b.InFirewall == false);
        return missing == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{inForce} redirected at {now.ToLocalTime():HH:mm:ss}")
            : string.Create(
                CultureInfo.InvariantCulture,
                $"{inForce - missing} redirected, {missing} in force but not in nft (a running agent puts them back within seconds) at {now.ToLocalTime():HH:mm:ss}");
    }
}
