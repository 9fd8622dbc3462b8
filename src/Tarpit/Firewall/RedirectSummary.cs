using System.Globalization;
using Tarpit.Config;

namespace Tarpit.Firewall;

/// <summary>
/// What the table redirects, in words for the first lines of a start: <c>22 → 2222 (ssh), 80 → 8080 (http)</c>. The
/// same rule as the ruleset's map (<see cref="RulesetRenderer.PortMap"/>): the first tarpit claiming a port wins.
/// </summary>
internal static class RedirectSummary
{
    public static string Describe(IReadOnlyList<TarpitConfig> tarpits)
    {
        ArgumentNullException.ThrowIfNull(tarpits);
        var map = new SortedDictionary<int, (int Port, string Tarpit)>();
        foreach (var tarpit in tarpits.Where(t => t.Listen.Count > 0))
        {
            foreach (var port in tarpit.RedirectPorts)
            {
                map.TryAdd(port, (tarpit.Listen[0].Port, tarpit.Name));
            }
        }

        return map.Count == 0
            ? "no port (no tarpit has redirect_ports)"
            : string.Join(", ", map.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} → {p.Value.Port} ({p.Value.Tarpit})")));
    }
}
