using Tarpit.Firewall;

namespace Tarpit.Tests.Firewall;

/// <summary>Lines as nft 1.0.6 prints them for <c>nft -j monitor destroy</c> (captured from <c>nft flush ruleset</c> and <c>nft delete element</c>).</summary>
public sealed class NftMonitorTests
{
    [Theory]
    [InlineData("""{"delete": {"table": {"family": "inet", "name": "tarpit", "handle": 1}}}""", "table inet tarpit deleted")]
    [InlineData("""{"delete": {"set": {"family": "inet", "name": "offenders_v4", "table": "tarpit", "type": "invalid", "handle": 1}}}""", "set offenders_v4 deleted")]
    [InlineData("""{"delete": {"chain": {"family": "inet", "table": "tarpit", "name": "prerouting", "handle": 3}}}""", "chain prerouting deleted")]
    public void Deleting_the_table_a_set_or_the_chain_of_ours_is_a_removal(string line, string expected) =>
        Assert.Equal(expected, NftMonitor.Removal(line, "tarpit"));

    [Theory]
    [InlineData("""{"delete": {"element": {"family": "inet", "table": "tarpit", "name": "offenders_v4", "elem": {"set": [{"elem": {"val": "192.0.2.1", "timeout": 3600, "expires": 3599}}]}}}}""")]
    [InlineData("""{"delete": {"rule": {"family": "inet", "table": "tarpit", "chain": "prerouting", "handle": 4}}}""")]
    [InlineData("""{"delete": {"table": {"family": "inet", "name": "filter", "handle": 2}}}""")]
    [InlineData("""{"delete": {"table": {"family": "ip", "name": "tarpit", "handle": 2}}}""")]
    [InlineData("""{"add": {"table": {"family": "inet", "name": "tarpit", "handle": 2}}}""")]
    [InlineData("""{"delete": {"set": {"family": "inet", "name": "allow_v4", "table": "other"}}}""")]
    [InlineData("""{"delete": {"set": {"family": "inet", "name": "__map0", "table": "tarpit", "type": "inet_service", "handle": 9}}}""")]
    [InlineData("# new generation 12 by process 4242 (nft)")]
    [InlineData("{not json")]
    [InlineData("")]
    public void Element_and_rule_deletions_other_tables_and_other_output_are_not(string line) =>
        Assert.Null(NftMonitor.Removal(line, "tarpit"));
}
