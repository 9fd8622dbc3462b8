using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Tarpit.Config;
using Tarpit.Net;

namespace Tarpit.Firewall;

/// <summary>
/// Renders the <c>nft -f</c> batch that creates the agent's table: idempotent (the offender sets keep their
/// elements; the allowlist and the chain are rebuilt) and readable, since it is what <c>nft list ruleset</c> shows.
/// </summary>
internal static class RulesetRenderer
{
    private const string CutHook = "type filter hook input priority filter; policy accept;";

    /// <summary>The source match of each offender set, in the order the rules test them.</summary>
    private static readonly (string Match, string Set)[] OffenderMatches =
    [
        ("ip", NftNames.OffendersV4), ("ip", NftNames.OffenderNetsV4), ("ip6", NftNames.OffendersV6), ("ip6", NftNames.OffenderNetsV6),
    ];

    public static string Render(FirewallConfig firewall, IReadOnlyList<TarpitConfig> tarpits)
    {
        ArgumentNullException.ThrowIfNull(firewall);
        ArgumentNullException.ThrowIfNull(tarpits);
        var table = $"{NftNames.Family} {firewall.Table}";
        var b = new StringBuilder();
        b.Append("add table ").Append(table).Append('\n');
        b.Append("add chain ").Append(table).Append(' ').Append(NftNames.Chain)
            .Append(" { type nat hook prerouting priority dstnat; policy accept; }\n");
        b.Append("flush chain ").Append(table).Append(' ').Append(NftNames.Chain).Append('\n');
        var map = PortMap(tarpits);
        var cut = firewall.CutEstablished && map.Count > 0;
        b.Append("add chain ").Append(table).Append(' ').Append(NftNames.CutChain).Append(" { ").Append(CutHook).Append(" }\n");
        // Flushed, never deleted, even with cut_established off (then it stays empty): the agent's own batch must not
        // delete a chain, which nft monitor reports as someone else's removal of the table's parts.
        b.Append("flush chain ").Append(table).Append(' ').Append(NftNames.CutChain).Append('\n');
        foreach (var (name, type) in new[] { (NftNames.AllowV4, "ipv4_addr"), (NftNames.AllowV6, "ipv6_addr") })
        {
            b.Append("add set ").Append(table).Append(' ').Append(name)
                .Append(" { type ").Append(type).Append("; flags interval; auto-merge; }\n");
            b.Append("flush set ").Append(table).Append(' ').Append(name).Append('\n');
        }

        b.Append('\n');
        b.Append("table ").Append(table).Append(" {\n");
        AppendSet(b, NftNames.AllowV4, "ipv4_addr", "interval", autoMerge: true, Elements(firewall.Allow, AddressFamily.InterNetwork));
        AppendSet(b, NftNames.AllowV6, "ipv6_addr", "interval", autoMerge: true, Elements(firewall.Allow, AddressFamily.InterNetworkV6));
        AppendSet(b, NftNames.OffendersV4, "ipv4_addr", "timeout", autoMerge: false, []);
        AppendSet(b, NftNames.OffenderNetsV4, "ipv4_addr", "interval, timeout", autoMerge: false, []);
        AppendSet(b, NftNames.OffendersV6, "ipv6_addr", "timeout", autoMerge: false, []);
        AppendSet(b, NftNames.OffenderNetsV6, "ipv6_addr", "interval, timeout", autoMerge: false, []);
        b.Append("\tchain ").Append(NftNames.Chain).Append(" {\n");
        b.Append("\t\ttype nat hook prerouting priority dstnat; policy accept;\n");
        b.Append("\t\tip saddr @").Append(NftNames.AllowV4).Append(" return\n");
        b.Append("\t\tip6 saddr @").Append(NftNames.AllowV6).Append(" return\n");
        if (map.Count > 0)
        {
            var ports = string.Join(", ", map.Select(p => p.Key.ToString(CultureInfo.InvariantCulture)));
            var pairs = string.Join(", ", map.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} : {p.Value}")));
            var redirect = $"tcp dport {{ {ports} }} redirect to : tcp dport map {{ {pairs} }}";
            foreach (var (match, set) in OffenderMatches)
            {
                b.Append("\t\t").Append(match).Append(" saddr @").Append(set).Append(' ').Append(redirect).Append('\n');
            }
        }

        b.Append("\t}\n");
        AppendCutChain(b, cut ? map : []);

        b.Append("}\n");
        return b.ToString();
    }

    /// <summary>Each redirected port and the tarpit port it leads to, by redirected port; the first tarpit claiming a port wins.</summary>
    public static IReadOnlyList<KeyValuePair<int, int>> PortMap(IReadOnlyList<TarpitConfig> tarpits)
    {
        ArgumentNullException.ThrowIfNull(tarpits);
        var map = new SortedDictionary<int, int>();
        foreach (var tarpit in tarpits)
        {
            if (tarpit.Listen.Count == 0)
            {
                continue;
            }

            foreach (var port in tarpit.RedirectPorts)
            {
                map.TryAdd(port, tarpit.Listen[0].Port);
            }
        }

        return [.. map];
    }

    /// <summary>
    /// <c>cut_established</c>: a banned source's flows to a redirected port that were open before its ban (so not
    /// redirected: conntrack keeps a flow's first NAT decision) are reset on their next packet. Redirected flows reach
    /// the input hook already translated to the tarpit's port, and carry <c>ct status dnat</c> besides; allowlisted
    /// sources return first, as in the redirect chain. The kernel does this for every ban, with no process per ban.
    /// With <c>cut_established = false</c> (or no redirected port) the chain is there and empty.
    /// </summary>
    private static void AppendCutChain(StringBuilder b, IReadOnlyList<KeyValuePair<int, int>> map)
    {
        var ports = string.Join(", ", map.Select(p => p.Key.ToString(CultureInfo.InvariantCulture)));
        b.Append("\n\tchain ").Append(NftNames.CutChain).Append(" {\n");
        b.Append("\t\t").Append(CutHook).Append('\n');
        if (map.Count == 0)
        {
            b.Append("\t}\n");
            return;
        }

        b.Append("\t\tip saddr @").Append(NftNames.AllowV4).Append(" return\n");
        b.Append("\t\tip6 saddr @").Append(NftNames.AllowV6).Append(" return\n");
        foreach (var (match, set) in OffenderMatches)
        {
            b.Append("\t\tct state established ct status ! dnat ").Append(match).Append(" saddr @").Append(set)
                .Append(" tcp dport { ").Append(ports).Append(" } reject with tcp reset\n");
        }

        b.Append("\t}\n");
    }

    private static List<string> Elements(IReadOnlyList<IPNetwork> networks, AddressFamily family) =>
        [.. networks.Where(n => n.BaseAddress.AddressFamily == family).Select(NetworkText.Format)];

    private static void AppendSet(StringBuilder b, string name, string type, string flags, bool autoMerge, List<string> elements)
    {
        b.Append("\tset ").Append(name).Append(" {\n");
        b.Append("\t\ttype ").Append(type).Append('\n');
        b.Append("\t\tflags ").Append(flags).Append('\n');
        if (autoMerge)
        {
            b.Append("\t\tauto-merge\n");
        }

        if (elements.Count > 0)
        {
            b.Append("\t\telements = { ").AppendJoin(", ", elements).Append(" }\n");
        }

        b.Append("\t}\n\n");
    }
}
