using System.Net;
using Microsoft.Extensions.Time.Testing;
using Tarpit.Config;
using Tarpit.Detection.Filters;

namespace Tarpit.Tests.Detection;

public sealed class SshdFilterTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private static readonly DateTimeOffset ReadAt = Time.GetUtcNow();

    public static TheoryData<string, string> Failures => new()
    {
        // Debian 12 (OpenSSH 9.2, rsyslog RFC 3339 prefix)
        { "2026-11-23T10:00:00.123456+00:00 web1 sshd[1234]: Invalid user admin from 192.0.2.7 port 52344", "192.0.2.7" },
        { "2026-11-23T10:00:01.000000+00:00 web1 sshd[1234]: Failed password for invalid user admin from 192.0.2.7 port 52344 ssh2", "192.0.2.7" },
        { "2026-11-23T10:00:02.000000+00:00 web1 sshd[1234]: Failed password for root from 198.51.100.9 port 40022 ssh2", "198.51.100.9" },
        { "2026-11-23T10:00:03.000000+00:00 web1 sshd[1234]: Failed publickey for invalid user git from 2001:db8::17 port 40022 ssh2: ED25519 SHA256:Yq8vQ3m2H3x2pVv7aA0s6eGf5mM3cQ8m8lYV0d7s3cE", "2001:db8::17" },
        { "2026-11-23T10:00:04.000000+00:00 web1 sshd[1234]: error: maximum authentication attempts exceeded for root from 203.0.113.5 port 51000 ssh2 [preauth]", "203.0.113.5" },
        { "2026-11-23T10:00:05.000000+00:00 web1 sshd[1234]: error: maximum authentication attempts exceeded for invalid user oracle from 203.0.113.5 port 51000 ssh2 [preauth]", "203.0.113.5" },
        { "2026-11-23T10:00:06.000000+00:00 web1 sshd[1234]: Disconnecting invalid user oracle 203.0.113.5 port 51000: Too many authentication failures [preauth]", "203.0.113.5" },
        { "2026-11-23T10:00:07.000000+00:00 web1 sshd[1234]: Disconnecting authenticating user root 203.0.113.6 port 51000: Too many authentication failures [preauth]", "203.0.113.6" },
        { "2026-11-23T10:00:08.000000+00:00 web1 sshd[1234]: Failed keyboard-interactive/pam for invalid user test from 192.0.2.8 port 2222 ssh2", "192.0.2.8" },
        { "2026-11-23T10:00:09.000000+00:00 web1 sshd[1234]: Failed none for invalid user test from ::ffff:192.0.2.9 port 2222 ssh2", "192.0.2.9" },

        // Debian 13 (OpenSSH 9.8+: sshd-session), traditional prefix
        { "Nov 23 10:00:00 web1 sshd-session[4321]: Invalid user ubuntu from 192.0.2.10 port 33000", "192.0.2.10" },
        { "Nov  3 09:15:00 web1 sshd-session[4321]: Failed password for invalid user ubuntu from 192.0.2.10 port 33000 ssh2", "192.0.2.10" },

        // sshd -E FILE: no syslog prefix at all
        { "Invalid user pi from 192.0.2.11 port 41234", "192.0.2.11" },
        { "Failed password for pi from 192.0.2.11 port 41234 ssh2", "192.0.2.11" },
    };

    public static TheoryData<string> NotFailures => new()
    {
        "2026-11-23T10:00:00.123456+00:00 web1 sshd[1234]: Accepted publickey for alice from 192.0.2.50 port 50000 ssh2: ED25519 SHA256:abc",
        "2026-11-23T10:00:00.123456+00:00 web1 sshd[1234]: pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)",
        "2026-11-23T10:00:00.123456+00:00 web1 sshd[1234]: Received disconnect from 192.0.2.50 port 50000:11: disconnected by user",
        "2026-11-23T10:00:00.123456+00:00 web1 sshd[1234]: Connection closed by 192.0.2.51 port 50000 [preauth]",
        "2026-11-23T10:00:00.123456+00:00 web1 sshd[1234]: Server listening on 0.0.0.0 port 22.",
        "2026-11-23T10:00:00.123456+00:00 web1 CRON[999]: pam_unix(cron:session): session closed for user root",

        // another program writing sshd's words (logger -t sudo ...) is not sshd
        "2026-11-23T10:00:00.123456+00:00 web1 sudo[77]: Invalid user admin from 192.0.2.66 port 1",
        "2026-11-23T10:00:00.123456+00:00 web1 myapp: Failed password for root from 192.0.2.66 port 1 ssh2",

        // near misses: the address is not where sshd writes it
        "Invalid user admin from 192.0.2.7 port 52344 trailing",
        "2026-11-23T10:00:03.000000+00:00 web1 sshd[1234]: Failed publickey for git from 2001:db8::17 port 40022 ssh2: ED25519 SHA256:Yq8vQ3m2H3x2pVv7aA0s6eGf5mM3cQ8m8lYV0d7s3cE",
        "Failed password for root from example.com port 22 ssh2",
        "Invalid user x from 10.1 port 22",
        "",
    };

    public static TheoryData<string, string> Injections => new()
    {
        // the user name carries another address; the one sshd wrote at the end wins
        { "Invalid user 1.2.3.4 from 192.0.2.20 port 22", "192.0.2.20" },
        { "Invalid user x from 1.2.3.4 port 22 from 192.0.2.21 port 4000", "192.0.2.21" },
        { "Failed password for invalid user root from 1.2.3.4 port 22 ssh2 from 192.0.2.22 port 4000 ssh2", "192.0.2.22" },
        // sshd cuts user names at ':', so the first ": " is sshd's: what follows it is never the client's address
        { "Failed password for invalid user a from 192.0.2.23 port 1 ssh2: X Y from 1.2.3.4 port 2 ssh2", "192.0.2.23" },
        { "Disconnecting invalid user x 1.2.3.4 port 1 192.0.2.24 port 2: Too many authentication failures [preauth] 1.2.3.5 port 2: Too many authentication failures [preauth]", "192.0.2.24" },
        { "2026-11-23T10:00:00+00:00 h sshd[1]: Invalid user from 1.2.3.4 port 22 \\033[2J from 192.0.2.25 port 22", "192.0.2.25" },
        { "2026-11-23T10:00:00+00:00 h sshd[1]: Invalid user   from  from 192.0.2.26 port 22", "192.0.2.26" },
    };

    public static TheoryData<string, string> Aggressive => new()
    {
        { "2026-11-23T10:00:00.1+00:00 web1 sshd[1]: Connection closed by invalid user admin 192.0.2.30 port 40000 [preauth]", "192.0.2.30" },
        { "2026-11-23T10:00:00.1+00:00 web1 sshd[1]: Connection closed by authenticating user root 192.0.2.31 port 40000 [preauth]", "192.0.2.31" },
        { "2026-11-23T10:00:00.1+00:00 web1 sshd[1]: Connection reset by 192.0.2.32 port 40000 [preauth]", "192.0.2.32" },
        { "2026-11-23T10:00:00.1+00:00 web1 sshd[1]: Disconnected from invalid user admin 192.0.2.33 port 40000 [preauth]", "192.0.2.33" },
        { "2026-11-23T10:00:00.1+00:00 web1 sshd[1]: banner exchange: Connection from 192.0.2.35 port 40000: invalid format", "192.0.2.35" },
        { "2026-11-23T10:00:00.1+00:00 web1 sshd[1]: error: banner exchange: Connection from 192.0.2.36 port 40000: invalid format", "192.0.2.36" },
        { "2026-11-23T10:00:00.1+00:00 web1 sshd[1]: Unable to negotiate with 192.0.2.37 port 40000: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1 [preauth]", "192.0.2.37" },
        { "Nov 23 10:00:00 web1 sshd-session[9]: Timeout before authentication for 192.0.2.38 port 40000", "192.0.2.38" },
    };

    public static TheoryData<string, string> ReportedDefects => new()
    {
        // issue 15 (1): the text after sshd's own ": " is the client's; the last "from … port" before it is sshd's
        { "Nov 11 08:04:52 redbamboo sshd[2737]: Failed password for invalid user test from 127.0.0.1 port 58946 ssh2: from 10.10.1.2 port 55555 ssh2", "127.0.0.1" },
        { "Nov 11 08:04:52 redbamboo sshd[2737]: Failed password for invalid user test from 10.10.1.2 port 55555 ssh2 from 127.0.0.1 port 58946 ssh2", "127.0.0.1" },
        { "Nov 11 08:04:51 redbamboo sshd[2737]: Failed password for invalid user from 10.10.1.1 from 127.0.0.1 port 58946 ssh2", "127.0.0.1" },
        { "Sep 29 17:15:02 spaceman sshd[12946]: Failed hostbased for dan from 127.0.0.1 port 45785 ssh2: RSA SHA256:x, client user \"dan\", client host \"192.0.2.99 port 22 ssh2\"", "127.0.0.1" },
    };

    [Theory]
    [MemberData(nameof(ReportedDefects))]
    public void Text_after_sshds_own_separator_never_moves_the_charged_address(string line, string expected)
    {
        var match = Match(new SshdFilter(), line);

        Assert.Equal(FilterVerdict.Offence, match.Verdict);
        Assert.Equal(IPAddress.Parse(expected), match.Address);
    }

    [Fact]
    public void A_valid_users_rejected_keys_before_a_successful_login_charge_nobody()
    {
        // issue 15 (2), fail2ban gh-1263: LogLevel VERBOSE writes one line per key offered before the right one
        var filter = new SshdFilter();
        string[] login =
        [
            "Nov 28 09:16:03 srv sshd[32307]: Connection from 192.0.2.1 port 57904 on 192.0.2.8 port 22 rdomain \"\"",
            "Nov 28 09:16:03 srv sshd[32307]: Failed publickey for git from 192.0.2.1 port 57904 ssh2: ECDSA SHA256:aaaa",
            "Nov 28 09:16:03 srv sshd[32307]: Failed publickey for git from 192.0.2.1 port 57904 ssh2: RSA SHA256:bbbb",
            "Nov 28 09:16:03 srv sshd[32307]: Failed publickey for git from 192.0.2.1 port 57904 ssh2: ED25519 SHA256:cccc",
            "Nov 28 09:16:03 srv sshd[32307]: Postponed publickey for git from 192.0.2.1 port 57904 ssh2 [preauth]",
            "Nov 28 09:16:03 srv sshd[32307]: Accepted publickey for git from 192.0.2.1 port 57904 ssh2: ED25519 SHA256:dddd",
            "Nov 28 09:16:09 srv sshd[32307]: Received disconnect from 192.0.2.1 port 57904:11: disconnected by user",
            "Nov 28 09:16:09 srv sshd[32307]: Disconnected from user git 192.0.2.1 port 57904",
        ];

        var offences = login.Select(l => Match(filter, l)).Where(m => m.IsOffence).ToList();

        Assert.Empty(offences);
        Assert.Equal(FilterVerdict.Ignored, Match(new SshdFilter(), login[1]).Verdict);
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public void Failure_lines_of_every_format_are_offences_by_the_address_sshd_wrote(string line, string expected)
    {
        var match = Match(new SshdFilter(), line);

        Assert.Equal(FilterVerdict.Offence, match.Verdict);
        Assert.Equal(IPAddress.Parse(expected), match.Address);
    }

    [Theory]
    [MemberData(nameof(NotFailures))]
    public void Logins_noise_other_programs_and_near_misses_are_not_offences(string line)
    {
        var match = Match(new SshdFilter(), line);

        Assert.NotEqual(FilterVerdict.Offence, match.Verdict);
    }

    [Theory]
    [MemberData(nameof(Injections))]
    public void A_hostile_user_name_counts_against_the_connecting_address_only(string line, string expected)
    {
        var match = Match(new SshdFilter(FilterNames.AggressiveMode), line);

        Assert.Equal(FilterVerdict.Offence, match.Verdict);
        Assert.Equal(IPAddress.Parse(expected), match.Address);
    }

    [Theory]
    [MemberData(nameof(Aggressive))]
    public void Aggressive_mode_adds_preauth_disconnects_banner_and_negotiation_failures(string line, string expected)
    {
        Assert.Equal(FilterVerdict.Missed, Match(new SshdFilter(), line).Verdict);

        var match = Match(new SshdFilter(FilterNames.AggressiveMode), line);

        Assert.Equal(FilterVerdict.Offence, match.Verdict);
        Assert.Equal(IPAddress.Parse(expected), match.Address);
    }

    [Fact]
    public void Journal_messages_are_matched_without_a_prefix_and_keep_the_journal_time()
    {
        var at = new DateTimeOffset(2026, 11, 23, 11, 59, 0, TimeSpan.Zero);
        var view = SyslogLine.Structured("Invalid user admin from 192.0.2.40 port 22", "sshd-session", at, Time);

        var match = new SshdFilter().Match(view);

        Assert.Equal(IPAddress.Parse("192.0.2.40"), match.Address);
        Assert.Equal(at, match.Timestamp);
    }

    [Fact]
    public void The_offence_time_is_the_line_time_or_the_read_time_for_bare_lines()
    {
        var filter = new SshdFilter();

        var dated = Match(filter, "2026-11-23T10:00:00.5+01:00 web1 sshd[1]: Invalid user a from 192.0.2.41 port 22");
        var bare = Match(filter, "Invalid user a from 192.0.2.41 port 22");

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 9, 0, 0, 500, TimeSpan.Zero), dated.Timestamp.ToUniversalTime());
        Assert.Equal(ReadAt, bare.Timestamp);
    }

    [Fact]
    public void A_traditional_timestamp_from_december_read_in_january_is_last_year()
    {
        var january = new FakeTimeProvider(new DateTimeOffset(2027, 1, 1, 0, 5, 0, TimeSpan.Zero));
        january.SetLocalTimeZone(TimeZoneInfo.Utc);

        var view = SyslogLine.Parse("Dec 31 23:59:00 web1 sshd[1]: Invalid user a from 192.0.2.42 port 22", january.GetUtcNow(), january);

        Assert.Equal(new DateTimeOffset(2026, 12, 31, 23, 59, 0, TimeSpan.Zero), view.Timestamp);
    }

    private static FilterMatch Match(ILogFilter filter, string line) =>
        filter.Match(SyslogLine.Parse(line, ReadAt, Time));
}
