using System.Net;
using System.Runtime.CompilerServices;
using Tarpit.Firewall;

namespace Tarpit.Tests.Firewall;

/// <summary>Against output captured from nft 1.0.6 (Debian 12) in a network namespace.</summary>
public sealed class NftJsonTests
{
    [Fact]
    public void Both_element_forms_are_read_with_timeouts_and_allow_sets_are_ignored()
    {
        var elements = NftJson.ParseOffenders(TestData("nft-list-table.json"));

        Assert.Equal(6, elements.Count);
        Assert.Contains(new FirewallElement(IPNetwork.Parse("192.0.2.2/32"), TimeSpan.FromSeconds(10800), TimeSpan.FromSeconds(10792)), elements);
        Assert.Contains(new FirewallElement(IPNetwork.Parse("198.51.100.0/24"), TimeSpan.FromSeconds(1800), TimeSpan.FromSeconds(1792)), elements);
        Assert.Contains(new FirewallElement(IPNetwork.Parse("203.0.113.7/32"), null, null), elements);
        Assert.Contains(new FirewallElement(IPNetwork.Parse("2001:db8:1::2/128"), TimeSpan.FromSeconds(3600), TimeSpan.FromSeconds(3592)), elements);
        Assert.Contains(new FirewallElement(IPNetwork.Parse("2001:db8:3::/48"), null, null), elements);
        Assert.DoesNotContain(elements, e => e.Target == IPNetwork.Parse("127.0.0.0/8"));
    }

    [Fact]
    public void A_set_without_elements_reads_as_empty() =>
        Assert.Empty(NftJson.ParseOffenders(TestData("nft-list-table-empty.json")));

    [Fact]
    public void Output_without_the_nftables_array_is_a_format_error() =>
        Assert.Throws<FormatException>(() => NftJson.ParseOffenders("{\"other\": []}"));

    private static string TestData(string name, [CallerFilePath] string source = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(source)!, "TestData", name));
}
