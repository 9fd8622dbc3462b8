using System.Net;
using System.Net.Http.Headers;
using Tarpit.Bans;
using Tarpit.Config;
using Tarpit.Reporting;
using Tarpit.Store;

namespace Tarpit.Tests.Reporting;

/// <summary>Issue 19 §3: which bans are reported, under which categories, with which words, and the backoff.</summary>
public sealed class ReportRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 5, 0, 0, TimeSpan.Zero);

    private static readonly AbuseIpDbConfig Config = new(
        "/nonexistent/key", AbuseIpDbConfig.DefaultApiUrl, TimeSpan.FromMinutes(15), 1000, [FilterNames.Decoy, FilterNames.Sshd, FilterNames.HttpProbe]);

    private static readonly WatchConfig[] Watches =
    [
        new("auth", FilterNames.Sshd, null, "/var/log/auth.log", null, 5, TimeSpan.FromMinutes(10)),
        new("web", FilterNames.HttpProbe, null, "/var/log/nginx/access.log", null, 5, TimeSpan.FromMinutes(10)),
        new("custom", "/etc/tarpit/filters/postfix.conf", null, "/var/log/mail.log", null, 5, TimeSpan.FromMinutes(10)),
    ];

    private static BanRecord Ban(string target, string source, string reason = "x", int count = 1) =>
        new(1, IPNetwork.Parse(target), source, reason, Now, Now, Now.AddHours(1), TimeSpan.FromHours(1), count, null);

    private static string? ReasonOf(string target, string source, bool restored = false, AbuseIpDbConfig? config = null)
    {
        var policy = new ReportPolicy(config ?? Config, Watches);
        var ban = Ban(target, source);
        return policy.ReasonOf(ban, new BanRequest(ban.Target, source, "x", Restored: restored), out _);
    }

    [Theory]
    [InlineData("auth", "sshd")]
    [InlineData("web", "http-probe")]
    [InlineData("decoy", "decoy")]
    public void A_ban_the_agent_decided_is_reported_under_its_filter_or_as_decoy(string source, string expected) =>
        Assert.Equal(expected, ReasonOf("198.51.100.7/32", source));

    [Fact]
    public void A_restored_ban_is_never_reported() =>
        Assert.Null(ReasonOf("198.51.100.7/32", "auth", restored: true));

    [Fact]
    public void A_remote_crowdsec_decision_is_never_reported() =>
        Assert.Null(ReasonOf("198.51.100.7/32", "crowdsec:cscli"));

    [Theory]
    [InlineData("198.51.100.0/24")]
    [InlineData("2001:db8::/64")]
    public void A_network_is_never_reported(string target) =>
        Assert.Null(ReasonOf(target, "decoy"));

    [Fact]
    public void A_watch_with_a_custom_filter_is_not_reported() =>
        Assert.Null(ReasonOf("198.51.100.7/32", "custom"));

    [Theory]
    [InlineData("manual")]
    [InlineData("fail2ban")]
    [InlineData("sshd-jail")]
    public void A_ban_by_hand_or_through_fail2ban_is_reported_only_when_manual_is_listed(string source)
    {
        Assert.Null(ReasonOf("198.51.100.7/32", source));
        Assert.Equal("manual", ReasonOf("198.51.100.7/32", source, config: Config with { Report = [FilterNames.Manual] }));
    }

    [Fact]
    public void A_reason_not_listed_is_not_reported() =>
        Assert.Null(ReasonOf("198.51.100.7/32", "auth", config: Config with { Report = [FilterNames.Decoy] }));

    [Fact]
    public void Categories_follow_abuseipdbs_list()
    {
        Assert.Equal("18,22", ReportCategories.Field(ReportCategories.Of(FilterNames.Sshd)!));
        Assert.Equal("21,19", ReportCategories.Field(ReportCategories.Of(FilterNames.HttpProbe)!));
        Assert.Equal("14", ReportCategories.Field(ReportCategories.Of(FilterNames.Decoy)!));
        Assert.Equal("15", ReportCategories.Field(ReportCategories.Of(FilterNames.Manual)!));
        Assert.All(FilterNames.Reportable, name => Assert.NotNull(ReportCategories.Of(name)));
    }

    [Fact]
    public void The_comment_keeps_the_count_and_window_but_never_the_log_line_its_user_names_or_our_host_name()
    {
        const string reason = "sshd: 5 offences within 10m, last: Dec  2 05:00:00 bastion-7 sshd[812]: Failed password for invalid user hunter2 from 198.51.100.7 port 50122 ssh2";

        var comment = ReportComment.For(FilterNames.Sshd, reason, banCount: 3);

        Assert.Equal("SSH brute force: failed or refused logins in the sshd log: 5 offences within 10m; ban #3 of this address (tarpit-agent)", comment);
        Assert.DoesNotContain("hunter2", comment, StringComparison.Ordinal);
        Assert.DoesNotContain("bastion", comment, StringComparison.Ordinal);
    }

    [Fact]
    public void A_decoy_comment_names_neither_our_tarpit_nor_our_port()
    {
        var comment = ReportComment.For(FilterNames.Decoy, "direct connection to decoy tarpit office-vpn (port 2222)", 1);

        Assert.Equal("Port scan: connected to a decoy port that no service uses (tarpit-agent)", comment);
    }

    [Fact]
    public void A_manual_comment_does_not_repeat_what_the_admin_or_fail2ban_wrote()
    {
        var comment = ReportComment.For(FilterNames.Manual, "jail sshd: user root from our office 10.1.2.3", 1);

        Assert.Equal("Banned by the administrator (tarpit-agent)", comment);
    }

    [Fact]
    public void A_reason_in_another_shape_gives_the_sentence_without_numbers_and_the_comment_stays_within_1024()
    {
        var comment = ReportComment.For(FilterNames.HttpProbe, new string('x', 5000) + ": 5 offences within 10m,", 1);

        Assert.Equal("Web application probing: requests for scanner and exploit paths in an access log (tarpit-agent)", comment);
        Assert.True(comment.Length <= ReportComment.MaxLength);
    }

    [Fact]
    public void The_form_has_abuseipdbs_fields_and_an_iso_8601_timestamp()
    {
        var row = new ReportRow(1, "198.51.100.7", "sshd", "18,22", "c", new DateTimeOffset(2026, 12, 2, 6, 30, 5, TimeSpan.FromHours(1)), Now, 0, Now);

        var form = AbuseIpDbClient.Form(row).ToDictionary(p => p.Key, p => p.Value);

        Assert.Equal(["ip", "categories", "comment", "timestamp"], form.Keys);
        Assert.Equal("198.51.100.7", form["ip"]);
        Assert.Equal("18,22", form["categories"]);
        Assert.Equal("2026-12-02T05:30:05+00:00", form["timestamp"]);
    }

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(7, 1920)]
    [InlineData(8, 3600)]
    [InlineData(19, 3600)]
    public void Backoff_doubles_from_30_seconds_to_an_hour(int attempt, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ReportBackoff.After(attempt));

    [Fact]
    public void Retry_after_is_read_as_delta_seconds_or_an_http_date_and_bounded()
    {
        Assert.Equal(TimeSpan.FromSeconds(120), AbuseIpDbClient.RetryAfter(new RetryConditionHeaderValue(TimeSpan.FromSeconds(120)), Now));
        Assert.Equal(TimeSpan.FromMinutes(10), AbuseIpDbClient.RetryAfter(new RetryConditionHeaderValue(Now.AddMinutes(10)), Now));
        Assert.Equal(TimeSpan.FromSeconds(1), AbuseIpDbClient.RetryAfter(new RetryConditionHeaderValue(Now.AddMinutes(-10)), Now));
        Assert.Equal(TimeSpan.FromDays(1), AbuseIpDbClient.RetryAfter(new RetryConditionHeaderValue(TimeSpan.FromDays(9)), Now));
        Assert.Equal(AbuseIpDbClient.DefaultRetryAfter, AbuseIpDbClient.RetryAfter(null, Now));
    }
}
