using Tarpit.Firewall;
using Tarpit.Store;

namespace Tarpit.Agent.Listing;

/// <summary>Joins the store's bans with the kernel's elements: the kernel is the live truth for what is redirected now.</summary>
internal static class BanListing
{
    public const string UnknownSource = "nft";

    public static IReadOnlyList<ListedBan> Join(IReadOnlyList<BanListRow> rows, IReadOnlyList<FirewallElement>? kernel, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var elements = kernel?.ToDictionary(e => e.Target) ?? [];
        var stored = rows.Where(r => r.Active).Select(r => r.Target).ToHashSet();
        var listed = new List<ListedBan>();
        foreach (var element in elements.Values.Where(e => !stored.Contains(e.Target)))
        {
            var row = new BanListRow(element.Target, UnknownSource, "in the nft set, unknown to the store", now, now + element.Expires, 0, true, null, 0, TimeSpan.Zero, 0);
            listed.Add(new ListedBan(row, true, element.Expires));
        }

        foreach (var row in rows)
        {
            if (!row.Active)
            {
                listed.Add(new ListedBan(row, kernel is null ? null : false, null));
                continue;
            }

            var inFirewall = kernel is null ? (bool?)null : elements.ContainsKey(row.Target);
            var expiresIn = elements.TryGetValue(row.Target, out var element) ? element.Expires : row.ExpiresAt - now;
            listed.Add(new ListedBan(row, inFirewall, expiresIn));
        }

        return listed;
    }
}
