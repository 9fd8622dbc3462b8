using System.Net;
using Tarpit.Net;
using Tomlyn.Syntax;

namespace Tarpit.Config;

/// <summary>Lists of addresses and networks (<c>firewall.allow</c>, a tarpit's <c>trusted_proxies</c>), read by <see cref="NetworkText"/>.</summary>
internal sealed partial class TomlTableView
{
    /// <summary>
    /// The networks at <paramref name="key"/> (an address is its host network), or <paramref name="fallback"/> when
    /// absent; every bad entry is reported at its own position and left out, IPv4-mapped text is noted.
    /// </summary>
    public IReadOnlyList<IPNetwork> GetNetworks(string key, IReadOnlyList<IPNetwork> fallback)
    {
        var items = GetArray(key);
        if (items is null)
        {
            return fallback;
        }

        var networks = new List<IPNetwork>();
        foreach (var item in items)
        {
            if (item is not StringValueSyntax s)
            {
                Diagnostics.Add(item, $"'{key}' entries must be strings: found {TomlText.Describe(item)}, expected {NetworkText.Allowed}");
                continue;
            }

            var text = s.Value ?? string.Empty;
            if (NetworkText.TryParse(text, TomlText.Networks, out var network, out var mapped, out var problem))
            {
                networks.Add(network);
                if (mapped)
                {
                    Diagnostics.AddNote(item, $"'{key}' entry {NetworkText.MappedNote(text, network, TomlText.Networks)}");
                }
            }
            else
            {
                Diagnostics.Add(item, $"invalid '{key}' entry: {problem}");
            }
        }

        return [.. networks];
    }
}
