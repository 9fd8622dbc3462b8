using System.Globalization;
using System.Text;
using Tarpit.Agent.Control;

namespace Tarpit.Agent.Commands;

/// <summary>
/// The terminal table of <c>sessions</c>, oldest first: one line per held connection, the last column (what the
/// client sent first, escaped by the engine) cut to the terminal's width. The AS name is escaped by the daemon.
/// </summary>
internal static partial class SessionsCommand
{
    private static readonly string[] Headers = ["Address", "Country", "ASN", "Tarpit", "Mode", "Held for", "Bytes sent", "Via", "First sent"];

    public static void Write(TextWriter output, IReadOnlyList<SessionReport> held, int width, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(held);
        if (held.Count == 0)
        {
            output.WriteLine("nobody is held right now");
            return;
        }

        var rows = held.Take(maxRows).Select(Cells).ToList();
        var widths = Headers.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        var fixedWidth = widths.Take(widths.Length - 1).Sum() + (2 * (widths.Length - 1));
        widths[^1] = Math.Max(Headers[^1].Length, Math.Min(widths[^1], width - fixedWidth));
        WriteRow(output, Headers, widths);
        WriteRow(output, [.. widths.Select(w => new string('─', w))], widths);
        foreach (var row in rows)
        {
            WriteRow(output, row, widths);
        }

        if (held.Count > maxRows)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"… and {held.Count - maxRows} more (tarpit-agent sessions --json lists every one)"));
        }
    }

    private static string[] Cells(SessionReport s) =>
    [
        s.Address,
        s.CountryCode ?? "",
        s.Asn is { } asn ? string.Create(CultureInfo.InvariantCulture, $"AS{asn}") : "",
        s.Tarpit,
        s.Mode,
        StatusCommand.Ago(TimeSpan.FromSeconds(s.HeldSeconds)),
        s.BytesSent.ToString("N0", CultureInfo.InvariantCulture),
        s.Via(),
        s.FirstBytes ?? "",
    ];

    private static void WriteRow(TextWriter output, string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = cells[i].Length > widths[i] ? string.Concat(cells[i].AsSpan(0, Math.Max(0, widths[i] - 1)), "…") : cells[i];
            line.Append(i is 6 ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]));
            if (i < cells.Length - 1)
            {
                line.Append("  ");
            }
        }

        output.WriteLine(line.ToString().TrimEnd());
    }
}
