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
        // One dictionary lookup per stored ban and a flag per kernel element: no set of the stored targets.
        var elements = kernel ?? [];
        var byTarget = new Dictionary<System.Net.IPNetwork, int>(elements.Count);
        for (var i = 0; i < elements.Count; i++)
        {
            byTarget.TryAdd(elements[i].Target, i);
        }

        var known = new bool[elements.Count];
        var fromStore = new List<ListedBan>(rows.Count);
        foreach (var row in rows)
        {
            if (!row.Active)
            {
                fromStore.Add(new ListedBan(row, kernel is null ? null : false, null));
                continue;
            }

            var inKernel = byTarget.TryGetValue(row.Target, out var index);
            if (inKernel)
            {
                known[index] = true;
            }

            fromStore.Add(new ListedBan(row, kernel is null ? null : inKernel, inKernel ? elements[index].Expires : row.ExpiresAt - now));
        }

        var listed = new List<ListedBan>(fromStore.Count + known.Count(k => !k));
        foreach (var index in byTarget.Values)
        {
            if (!known[index])
            {
                var element = elements[index];
                var row = new BanListRow(element.Target, UnknownSource, "in the nft set, unknown to the store", now, now + element.Expires, 0, true, null, 0, TimeSpan.Zero, 0);
                listed.Add(new ListedBan(row, true, element.Expires));
            }
        }

        listed.AddRange(fromStore);
        return listed;
    }
}
