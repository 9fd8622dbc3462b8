using System.Net;
using System.Text.Json;
using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.Firewall;

/// <summary>
/// <c>list</c> reads the offender sets over netlink, not through nft: what it calls redirected must be exactly what
/// <c>nft -j list table</c> shows, for every set (addresses and networks, IPv4 and IPv6, timed and permanent), and
/// for elements the store does not know.
/// </summary>
public sealed class KernelReadSystemTests
{
    [SystemFact(true, "ip", "nft")]
    public async Task List_reads_from_the_kernel_what_nft_lists_in_every_offender_set()
    {
        Prerequisites.Require(true, "ip", "nft");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var scenario = await FirewallScenario.CreateAsync("", cutEstablished: false, cts.Token);
        string[] bans = ["198.18.0.5", "2001:db8:5::7", "198.18.7.0/24", "2001:db8:77::/48"];
        var (code, output) = await scenario.AgentAsync(["ban", bans[0], bans[1], "--for", "1h"], cts.Token);
        Assert.True(code == 0, output);
        (code, output) = await scenario.AgentAsync(["ban", bans[2], "--for", "permanent"], cts.Token);
        Assert.True(code == 0, output);
        (code, output) = await scenario.AgentAsync(["ban", bans[3], "--for", "3h"], cts.Token);
        Assert.True(code == 0, output);
        // Unknown to the store: an address, a network, and a range that is no network (which neither path lists).
        var (nftCode, nftOutput) = await scenario.NftAsync(
            ["add element inet tarpit offenders_v4 { 198.18.9.9 timeout 30m }; "
                + "add element inet tarpit offender_nets_v4 { 198.18.16.0/20 timeout 2h, 198.18.40.1-198.18.40.3 timeout 2h }"],
            cts.Token);
        Assert.True(nftCode == 0, nftOutput);

        var kernel = (await scenario.OffendersAsync(cts.Token)).ToDictionary(e => e.Target);
        var (listCode, listed) = await scenario.AgentAsync(["list", "--json"], cts.Token);

        Assert.True(listCode == 0, listed);
        var rows = JsonDocument.Parse(listed[listed.IndexOf('[', StringComparison.Ordinal)..]).RootElement.EnumerateArray().ToArray();
        var inFirewall = rows.Where(r => r.GetProperty("in_firewall").GetBoolean()).ToDictionary(r => IPNetwork.Parse(Target(r)));
        Assert.Equal(kernel.Keys.OrderBy(k => k.ToString()), inFirewall.Keys.OrderBy(k => k.ToString()));
        Assert.Equal(6, kernel.Count);
        foreach (var (target, element) in kernel)
        {
            var left = inFirewall[target].GetProperty("expires_in_seconds");
            if (element.Expires is { } expires)
            {
                Assert.InRange(left.GetInt64(), (long)expires.TotalSeconds - 5, (long)expires.TotalSeconds + 1);
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, left.ValueKind);
            }
        }

        Assert.Equal("nft", inFirewall[IPNetwork.Parse("198.18.16.0/20")].GetProperty("source").GetString());
        Assert.Equal("nft", inFirewall[IPNetwork.Parse("198.18.9.9/32")].GetProperty("source").GetString());
    }

    private static string Target(JsonElement row)
    {
        var address = row.GetProperty("address").GetString()!;
        return address.Contains('/', StringComparison.Ordinal) ? address : address + (address.Contains(':', StringComparison.Ordinal) ? "/128" : "/32");
    }
}
