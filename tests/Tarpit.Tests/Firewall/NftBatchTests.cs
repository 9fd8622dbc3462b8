using System.Net;
using Tarpit.Firewall;

namespace Tarpit.Tests.Firewall;

public sealed class NftBatchTests
{
    [Fact]
    public void Adding_replaces_the_timeout_with_add_delete_add_so_it_works_on_kernel_6_1()
    {
        var batch = NftBatch.Render("tarpit", [FirewallChange.Add(IPNetwork.Parse("192.0.2.2/32"), TimeSpan.FromHours(2))]);

        Assert.Equal(
            "add element inet tarpit offenders_v4 { 192.0.2.2 }\n" +
            "delete element inet tarpit offenders_v4 { 192.0.2.2 }\n" +
            "add element inet tarpit offenders_v4 { 192.0.2.2 timeout 7200s }\n",
            batch);
    }

    [Fact]
    public void An_ensure_is_one_statement_beside_the_replacements()
    {
        var batch = NftBatch.Render("tarpit", [
            FirewallChange.Ensure(IPNetwork.Parse("192.0.2.2/32"), TimeSpan.FromHours(2)),
            FirewallChange.Add(IPNetwork.Parse("192.0.2.3/32"), TimeSpan.FromHours(1)),
        ]);

        Assert.Equal(
            "add element inet tarpit offenders_v4 { 192.0.2.3 }\n" +
            "delete element inet tarpit offenders_v4 { 192.0.2.3 }\n" +
            "add element inet tarpit offenders_v4 { 192.0.2.3 timeout 3600s }\n" +
            "add element inet tarpit offenders_v4 { 192.0.2.2 timeout 7200s }\n",
            batch);
    }

    [Fact]
    public void An_ensure_is_a_plain_add_that_keeps_the_timeout_of_an_element_already_in_the_set()
    {
        var batch = NftBatch.Render("tarpit", [FirewallChange.Ensure(IPNetwork.Parse("192.0.2.2/32"), TimeSpan.FromHours(1))]);

        Assert.Equal("add element inet tarpit offenders_v4 { 192.0.2.2 timeout 3600s }\n", batch);
    }

    [Fact]
    public void New_bans_render_as_one_create_per_set_beside_the_rest_and_a_batch_without_new_bans_has_no_create_form()
    {
        IReadOnlyList<FirewallChange> creates =
        [
            FirewallChange.Create(IPNetwork.Parse("192.0.2.2/32"), TimeSpan.FromHours(1)),
            FirewallChange.Create(IPNetwork.Parse("2001:db8::/64"), null),
        ];

        Assert.Equal(
            "create element inet tarpit offenders_v4 { 192.0.2.2 timeout 3600s }\n" +
            "create element inet tarpit offender_nets_v6 { 2001:db8::/64 }\n",
            NftBatch.RenderCreate("tarpit", creates));
        // A refresh beside them replaces its timeout the usual way in the same batch.
        Assert.Equal(
            "add element inet tarpit offenders_v4 { 192.0.2.9 }\n" +
            "delete element inet tarpit offenders_v4 { 192.0.2.9 }\n" +
            "add element inet tarpit offenders_v4 { 192.0.2.9 timeout 60s }\n" +
            "create element inet tarpit offenders_v4 { 192.0.2.2 timeout 3600s }\n" +
            "create element inet tarpit offender_nets_v6 { 2001:db8::/64 }\n",
            NftBatch.RenderCreate("tarpit", [.. creates, FirewallChange.Add(IPNetwork.Parse("192.0.2.9/32"), TimeSpan.FromMinutes(1))]));
        // The fallback when nft finds one there after all ("File exists"): a create replaces like an add.
        Assert.Equal(
            "add element inet tarpit offenders_v4 { 192.0.2.2 }\n" +
            "delete element inet tarpit offenders_v4 { 192.0.2.2 }\n" +
            "add element inet tarpit offenders_v4 { 192.0.2.2 timeout 3600s }\n" +
            "add element inet tarpit offender_nets_v6 { 2001:db8::/64 }\n" +
            "delete element inet tarpit offender_nets_v6 { 2001:db8::/64 }\n" +
            "add element inet tarpit offender_nets_v6 { 2001:db8::/64 }\n",
            NftBatch.Render("tarpit", creates));
        Assert.Null(NftBatch.RenderCreate("tarpit", [FirewallChange.Add(IPNetwork.Parse("192.0.2.2/32"), TimeSpan.FromHours(1))]));
        Assert.Null(NftBatch.RenderCreate("tarpit", [FirewallChange.Ensure(IPNetwork.Parse("192.0.2.2/32"), null)]));
        Assert.Null(NftBatch.RenderCreate("tarpit", []));
    }

    [Fact]
    public void Many_changes_become_one_statement_per_step_and_set_with_removals_first_and_prefixes_in_interval_sets()
    {
        var batch = NftBatch.Render(
            "tp",
            [
                FirewallChange.Add(IPNetwork.Parse("192.0.2.0/24"), TimeSpan.FromSeconds(90)),
                FirewallChange.Remove(IPNetwork.Parse("192.0.2.2/32")),
                FirewallChange.Add(IPNetwork.Parse("2001:db8::/48"), null),
                FirewallChange.Add(IPNetwork.Parse("2001:db8:1::2/128"), TimeSpan.FromMilliseconds(1500)),
                FirewallChange.Add(IPNetwork.Parse("2001:db8:1::3/128"), null),
            ]);

        Assert.Equal(
            "add element inet tp offenders_v4 { 192.0.2.2 }\n" +
            "delete element inet tp offenders_v4 { 192.0.2.2 }\n" +
            "add element inet tp offender_nets_v4 { 192.0.2.0/24 }\n" +
            "delete element inet tp offender_nets_v4 { 192.0.2.0/24 }\n" +
            "add element inet tp offender_nets_v4 { 192.0.2.0/24 timeout 90s }\n" +
            "add element inet tp offenders_v6 { 2001:db8:1::2, 2001:db8:1::3 }\n" +
            "delete element inet tp offenders_v6 { 2001:db8:1::2, 2001:db8:1::3 }\n" +
            "add element inet tp offenders_v6 { 2001:db8:1::2 timeout 2s, 2001:db8:1::3 }\n" +
            "add element inet tp offender_nets_v6 { 2001:db8::/48 }\n" +
            "delete element inet tp offender_nets_v6 { 2001:db8::/48 }\n" +
            "add element inet tp offender_nets_v6 { 2001:db8::/48 }\n",
            batch);
    }

    [Fact]
    public void The_last_change_of_a_target_wins()
    {
        var target = IPNetwork.Parse("198.51.100.7/32");

        var batch = NftBatch.Render("tarpit", [FirewallChange.Add(target, TimeSpan.FromHours(1)), FirewallChange.Remove(target)]);

        Assert.DoesNotContain("timeout", batch, StringComparison.Ordinal);
        Assert.EndsWith("delete element inet tarpit offenders_v4 { 198.51.100.7 }\n", batch, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "timeout 1s")]
    [InlineData(999, "timeout 1s")]
    [InlineData(1001, "timeout 2s")]
    [InlineData(3_600_000, "timeout 3600s")]
    [InlineData(99_999_999_000, "timeout 99999999s")]
    [InlineData(100_000_000_000, "timeout 1157d35200s")]
    [InlineData(315_360_000_000, "timeout 3650d0s")]
    public void Timeouts_are_whole_seconds_rounded_up_and_at_least_one_and_in_days_when_nft_would_refuse_the_seconds(long milliseconds, string expected) =>
        Assert.Equal(expected, NftBatch.Timeout(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void No_changes_render_an_empty_batch() => Assert.Equal("", NftBatch.Render("tarpit", []));

    [Fact]
    public void Removals_and_additions_are_split_into_two_batches_because_nft_checks_overlaps_before_the_batch()
    {
        var remove = FirewallChange.Remove(IPNetwork.Parse("192.0.2.2/32"));
        var add = FirewallChange.Add(IPNetwork.Parse("192.0.2.0/24"), TimeSpan.FromHours(1));
        var other = FirewallChange.Add(IPNetwork.Parse("198.51.100.0/24"), null);

        Assert.Equal([[remove], [add, other]], NftBatch.Split([remove, add, other]));
        Assert.Equal([[add, other]], NftBatch.Split([add, other]));
        Assert.Empty(NftBatch.Split([]));
    }
}
