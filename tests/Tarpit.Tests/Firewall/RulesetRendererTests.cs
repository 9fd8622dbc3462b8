using Tarpit.Firewall;

namespace Tarpit.Tests.Firewall;

public sealed class RulesetRendererTests
{
    [Fact]
    public void Table_has_allowlist_offender_sets_and_one_redirect_rule_per_offender_set_with_a_port_map()
    {
        var firewall = FirewallTestConfig.Firewall("127.0.0.0/8", "::1/128", "203.0.113.0/24");
        var tarpits = new[] { FirewallTestConfig.Tarpit("ssh", 2222, 22), FirewallTestConfig.Tarpit("http", 8080, 80) };

        var text = RulesetRenderer.Render(firewall, tarpits);

        Assert.Equal(
            """
            add table inet tarpit
            add chain inet tarpit prerouting { type nat hook prerouting priority dstnat; policy accept; }
            flush chain inet tarpit prerouting
            add chain inet tarpit cut_established { type filter hook input priority filter; policy accept; }
            flush chain inet tarpit cut_established
            add set inet tarpit allow_v4 { type ipv4_addr; flags interval; auto-merge; }
            flush set inet tarpit allow_v4
            add set inet tarpit allow_v6 { type ipv6_addr; flags interval; auto-merge; }
            flush set inet tarpit allow_v6

            table inet tarpit {
            	set allow_v4 {
            		type ipv4_addr
            		flags interval
            		auto-merge
            		elements = { 127.0.0.0/8, 203.0.113.0/24 }
            	}

            	set allow_v6 {
            		type ipv6_addr
            		flags interval
            		auto-merge
            		elements = { ::1 }
            	}

            	set offenders_v4 {
            		type ipv4_addr
            		flags timeout
            	}

            	set offender_nets_v4 {
            		type ipv4_addr
            		flags interval, timeout
            	}

            	set offenders_v6 {
            		type ipv6_addr
            		flags timeout
            	}

            	set offender_nets_v6 {
            		type ipv6_addr
            		flags interval, timeout
            	}

            	chain prerouting {
            		type nat hook prerouting priority dstnat; policy accept;
            		ip saddr @allow_v4 return
            		ip6 saddr @allow_v6 return
            		ip saddr @offenders_v4 tcp dport { 22, 80 } redirect to : tcp dport map { 22 : 2222, 80 : 8080 }
            		ip saddr @offender_nets_v4 tcp dport { 22, 80 } redirect to : tcp dport map { 22 : 2222, 80 : 8080 }
            		ip6 saddr @offenders_v6 tcp dport { 22, 80 } redirect to : tcp dport map { 22 : 2222, 80 : 8080 }
            		ip6 saddr @offender_nets_v6 tcp dport { 22, 80 } redirect to : tcp dport map { 22 : 2222, 80 : 8080 }
            	}

            	chain cut_established {
            		type filter hook input priority filter; policy accept;
            		ip saddr @allow_v4 return
            		ip6 saddr @allow_v6 return
            		ct state established ct status ! dnat ip saddr @offenders_v4 tcp dport { 22, 80 } reject with tcp reset
            		ct state established ct status ! dnat ip saddr @offender_nets_v4 tcp dport { 22, 80 } reject with tcp reset
            		ct state established ct status ! dnat ip6 saddr @offenders_v6 tcp dport { 22, 80 } reject with tcp reset
            		ct state established ct status ! dnat ip6 saddr @offender_nets_v6 tcp dport { 22, 80 } reject with tcp reset
            	}
            }

            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public void Without_redirect_ports_the_chain_only_returns_allowlisted_sources()
    {
        var text = RulesetRenderer.Render(FirewallTestConfig.Firewall(), [FirewallTestConfig.Tarpit("decoy", 2222)]);

        Assert.DoesNotContain("redirect", text, StringComparison.Ordinal);
        Assert.Contains("ip saddr @allow_v4 return", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_cut_established_the_cut_chain_is_flushed_and_stays_empty_never_deleted()
    {
        var firewall = FirewallTestConfig.Firewall() with { CutEstablished = false };

        var text = RulesetRenderer.Render(firewall, [FirewallTestConfig.Tarpit("ssh", 2222, 22)]);

        Assert.Contains("add chain inet tarpit cut_established { type filter hook input priority filter; policy accept; }\nflush chain inet tarpit cut_established\n", text, StringComparison.Ordinal);
        Assert.Contains("\tchain cut_established {\n\t\ttype filter hook input priority filter; policy accept;\n\t}\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("reject", text, StringComparison.Ordinal);
        Assert.DoesNotContain("delete", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_redirect_ports_nothing_is_cut()
    {
        var text = RulesetRenderer.Render(FirewallTestConfig.Firewall(), [FirewallTestConfig.Tarpit("decoy", 2222)]);

        Assert.DoesNotContain("delete", text, StringComparison.Ordinal);
        Assert.DoesNotContain("reject", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_allowlist_renders_sets_without_an_elements_line()
    {
        var firewall = FirewallTestConfig.Firewall() with { Allow = [] };

        var text = RulesetRenderer.Render(firewall, [FirewallTestConfig.Tarpit("ssh", 2222, 22)]);

        Assert.DoesNotContain("elements", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_first_tarpit_claiming_a_redirected_port_wins_and_ports_are_sorted()
    {
        var map = RulesetRenderer.PortMap([FirewallTestConfig.Tarpit("a", 8443, 443, 80), FirewallTestConfig.Tarpit("b", 8080, 80)]);

        Assert.Equal([new(80, 8443), new(443, 8443)], map);
    }
}
