using System.Net;
using Tarpit.Agent.Commands;
using Tarpit.Agent.Listing;
using Tarpit.Store;

namespace Tarpit.Tests.Listing;

public sealed class BanListFilterTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Source_since_search_and_limit_keep_the_newest_matching_bans()
    {
        ListedBan[] bans =
        [
            Ban("192.0.2.9", "sshd", Now - TimeSpan.FromMinutes(5)),
            Ban("198.51.100.0/24", "fail2ban", Now - TimeSpan.FromMinutes(30)),
            Ban("192.0.2.7", "sshd", Now - TimeSpan.FromHours(3)),
            Ban("192.0.2.8", "SSHD", Now - TimeSpan.FromMinutes(50)),
        ];

        var bySource = BanListFilter.Parse(null, null, source: "sshd", now: Now).Apply(bans);
        var bySince = BanListFilter.Parse(null, null, since: "1h", now: Now).Apply(bans);
        var byNetwork = BanListFilter.Parse(null, null, search: "192.0.2.0/28", now: Now).Apply(bans);
        var byAddressInANetwork = BanListFilter.Parse(null, null, search: "198.51.100.77", now: Now).Apply(bans);
        var limited = BanListFilter.Parse(null, null, source: "sshd", limit: 2, now: Now).Apply(bans);

        Assert.Equal(["192.0.2.9", "192.0.2.7", "192.0.2.8"], Targets(bySource));
        Assert.Equal(["192.0.2.9", "198.51.100.0/24", "192.0.2.8"], Targets(bySince));
        Assert.Equal(["192.0.2.9", "192.0.2.7", "192.0.2.8"], Targets(byNetwork));
        Assert.Equal(["198.51.100.0/24"], Targets(byAddressInANetwork));
        Assert.Equal(["192.0.2.9", "192.0.2.7"], Targets(limited));
    }

    [Fact]
    public void Source_crowdsec_takes_every_fleet_decision_and_an_origin_only_its_own()
    {
        ListedBan[] bans =
        [
            Ban("192.0.2.9", "crowdsec:cscli", Now - TimeSpan.FromMinutes(5)),
            Ban("192.0.2.8", "crowdsec:tarpit-agent@hostB", Now - TimeSpan.FromMinutes(6)),
            Ban("192.0.2.7", "sshd", Now - TimeSpan.FromMinutes(7)),
            Ban("192.0.2.6", "crowdsecx", Now - TimeSpan.FromMinutes(8)),
        ];

        var fleet = BanListFilter.Parse(null, null, source: "crowdsec", now: Now).Apply(bans);
        var cscli = BanListFilter.Parse(null, null, source: "crowdsec:cscli", now: Now).Apply(bans);

        Assert.Equal(["192.0.2.9", "192.0.2.8"], Targets(fleet));
        Assert.Equal(["192.0.2.9"], Targets(cscli));
    }

    [Fact]
    public void Since_takes_a_date_too()
    {
        var since = BanListFilter.ParseSince("2026-12-01T08:00:00Z", Now);

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero), since);
    }

    [Theory]
    [InlineData(null, "yesterday-ish", null)]
    [InlineData(null, null, "192.0.2.300")]
    [InlineData(0, null, null)]
    public void A_bad_since_search_or_limit_is_a_usage_error(int? limit, string? since, string? search)
    {
        var ex = Assert.Throws<OperatorException>(() => BanListFilter.Parse(null, null, since: since, search: search, limit: limit, now: Now));

        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
    }

    [Fact]
    public void Show_takes_one_address_and_points_a_network_at_list()
    {
        var address = ShowCommand.ParseAddress("::ffff:192.0.2.7");
        var ex = Assert.Throws<OperatorException>(() => ShowCommand.ParseAddress("192.0.2.0/24"));

        Assert.Equal(IPAddress.Parse("192.0.2.7"), address);
        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
        Assert.Contains("list 192.0.2.0/24", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sshd", "sshd: 5 offences within 10m, last: Dec  1 10:00:00 host sshd[123]: Failed password for root from 192.0.2.7", "5 offences within 10m, last: Failed password for root from 192.0.2.7")]
    [InlineData("ssh-auth", "sshd: 5 offences within 10m, last: sshd[9]: Invalid user a from 192.0.2.7", "sshd: 5 offences within 10m, last: Invalid user a from 192.0.2.7")]
    [InlineData("admin", "banned by hand", "banned by hand")]
    [InlineData("fail2ban", "fail2ban jail sshd, 5 failures", "fail2ban jail sshd, 5 failures")]
    public void A_reason_cell_does_not_repeat_the_filter_name(string source, string reason, string expected) =>
        Assert.Equal(expected, ReasonText.Compact(source, reason));

    [Fact]
    public void Held_now_is_a_column_and_a_total_only_when_the_daemon_answered()
    {
        ListedBan[] bans = [Ban("192.0.2.9", "sshd", Now), Ban("198.51.100.0/24", "sshd", Now)];
        var held = new Dictionary<IPAddress, int> { [IPAddress.Parse("198.51.100.4")] = 2, [IPAddress.Parse("198.51.100.5")] = 1 };
        using var with = new StringWriter();
        using var without = new StringWriter();

        BanTable.Write(with, bans, all: false, Now, 200, held);
        BanTable.Write(without, bans, all: false, Now, 200);

        Assert.Contains("Held now", with.ToString(), StringComparison.Ordinal);
        Assert.Contains("3 connection(s) held now by the running agent", with.ToString(), StringComparison.Ordinal);
        Assert.Matches(@"198\.51\.100\.0/24 .* 3\r?$", with.ToString().Split('\n')[3]);
        Assert.DoesNotContain("Held now", without.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("held now", without.ToString(), StringComparison.Ordinal);
    }

    private static string[] Targets(IEnumerable<ListedBan> bans) => [.. bans.Select(b => Tarpit.Net.NetworkText.Format(b.Row.Target))];

    private static ListedBan Ban(string target, string source, DateTimeOffset bannedAt) => new(
        new BanListRow(Tarpit.Net.NetworkText.Parse(target), source, "r", bannedAt, bannedAt + TimeSpan.FromHours(10), 1, true, null, 0, TimeSpan.Zero, 0),
        true,
        TimeSpan.FromHours(9));
}
