using System.Net;
using Microsoft.Extensions.Time.Testing;
using Tarpit.Config;
using Tarpit.Detection.Filters;

namespace Tarpit.Tests.Detection.Sshd;

/// <summary>Lines that name no address count for the address their sshd pid was serving, as fail2ban joins them.</summary>
public sealed class SshdConnectionJoinTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Too_many_authentication_failures_counts_for_the_address_its_pid_named_before()
    {
        var offences = Run(FilterNames.NormalMode,
            "Feb 12 04:09:18 localhost sshd[26713]: Connection from 115.249.163.77 port 51353 on 127.0.0.1 port 22",
            "Feb 12 04:09:21 localhost sshd[26713]: Disconnecting: Too many authentication failures [preauth]");

        Assert.Equal([(2, "115.249.163.77")], offences);
    }

    [Fact]
    public void A_line_without_address_waits_for_the_next_line_of_its_pid_and_never_takes_another_pids_address()
    {
        var joined = Run(FilterNames.NormalMode,
            "Nov 23 21:50:19 sshd[8148]: Disconnecting: Too many authentication failures for root [preauth]",
            "Nov 23 21:50:37 sshd[8148]: Connection closed by 61.0.0.1 [preauth]");
        var otherPid = Run(FilterNames.NormalMode,
            "Nov 23 21:50:19 sshd[9148]: Disconnecting: Too many authentication failures for root [preauth]",
            "Nov 23 21:50:37 sshd[7148]: Connection closed by 61.0.0.1");

        Assert.Equal([(2, "61.0.0.1")], joined);
        Assert.Empty(otherPid);
    }

    [Fact]
    public void A_locked_account_counts_once_its_connection_names_the_address()
    {
        var offences = Run(FilterNames.NormalMode,
            "May 27 00:16:33 host sshd[2364]: User root not allowed because account is locked",
            "May 27 00:16:33 host sshd[2364]: input_userauth_request: invalid user root [preauth]",
            "May 27 00:16:33 host sshd[2364]: Received disconnect from 198.51.100.76 port 58846:11: Bye Bye [preauth]");

        Assert.Equal([(3, "198.51.100.76")], offences);
    }

    [Fact]
    public void Ddos_kex_identification_failures_count_by_pid_before_or_after_the_address()
    {
        var after = Run(FilterNames.DdosMode,
            "Jun  7 04:29:10 host sshd[649921]: Connection from 192.0.2.16 port 51280 on 192.0.2.16 port 22 rdomain \"\"",
            "Jun  7 04:29:10 host sshd[649921]: error: kex_exchange_identification: read: Connection reset by peer",
            "Jun  7 04:29:10 host sshd[649921]: Connection reset by 192.0.2.16 port 51280");
        var before = Run(FilterNames.DdosMode,
            "Jun  7 04:10:35 host sshd[424228]: error: kex_exchange_identification: Connection closed by remote host",
            "Jun  7 04:10:35 host sshd[424228]: Connection closed by 192.0.2.15 port 35352");
        var normal = Run(FilterNames.NormalMode,
            "Jun  7 04:10:35 host sshd[424228]: error: kex_exchange_identification: Connection closed by remote host",
            "Jun  7 04:10:35 host sshd[424228]: Connection closed by 192.0.2.15 port 35352");

        Assert.Equal([(2, "192.0.2.16")], after);
        Assert.Equal([(2, "192.0.2.15")], before);
        Assert.Empty(normal);
    }

    [Fact]
    public void Extra_mode_joins_unable_to_negotiate_lines_by_pid()
    {
        var offences = Run(FilterNames.ExtraMode,
            "Nov 26 15:03:30 host sshd[22440]: Connection from 192.0.2.3 port 39678 on 192.168.1.9 port 22",
            "Nov 26 15:03:31 host sshd[22440]: fatal: Unable to negotiate a key exchange method [preauth]",
            "Nov 26 15:03:32 host sshd[22440]: fatal: no matching mac found: client hmac-xxx server hmac-xxx [preauth]");

        Assert.Equal([(2, "192.0.2.3"), (3, "192.0.2.3")], offences);
    }

    [Fact]
    public void A_pam_failure_counts_only_when_sshd_logged_no_line_of_its_own_before_the_connection_ended()
    {
        var withSshdLine = Run(FilterNames.NormalMode,
            "2026-11-23T10:00:00.000000+00:00 h sshd[2716]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.112  user=root",
            "2026-11-23T10:00:01.000000+00:00 h sshd[2716]: Failed password for root from 192.0.2.112 port 40000 ssh2",
            "2026-11-23T10:00:02.000000+00:00 h sshd[2716]: Connection closed by authenticating user root 192.0.2.112 port 40000 [preauth]");
        var withoutSshdLine = Run(FilterNames.NormalMode,
            "2015-04-16T18:02:50.321974+00:00 host sshd[2716]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.112  user=root",
            "2015-04-16T18:02:50.568798+00:00 host sshd[2716]: Connection closed by 192.0.2.112 [preauth]");
        var loggedIn = Run(FilterNames.NormalMode,
            "Mar  7 18:53:20 bar sshd[1556]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.113  user=rda",
            "Mar  7 18:53:20 bar sshd[1556]: Accepted password for rda from 192.0.2.113 port 52100 ssh2",
            "Mar  7 18:53:20 bar sshd[1556]: Connection closed by 192.0.2.113");

        Assert.Equal([(2, "192.0.2.112")], withSshdLine);
        Assert.Equal([(2, "192.0.2.112")], withoutSshdLine);
        Assert.Empty(loggedIn);
    }

    [Fact]
    public void A_pam_line_whose_user_fields_hold_blanks_matches_nothing()
    {
        var offences = Run(FilterNames.NormalMode,
            "Mar  7 18:53:22 bar sshd[1558]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=x rhost=192.0.2.66 rhost=192.0.2.114",
            "Mar  7 18:53:22 bar sshd[1558]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.114 user=a rhost=192.0.2.66",
            "Mar  7 18:53:23 bar sshd[1558]: Connection closed by 192.0.2.114 [preauth]");

        Assert.Empty(offences);
    }

    [Fact]
    public void A_reused_pid_does_not_inherit_the_address_of_a_closed_or_expired_connection()
    {
        var closed = Run(FilterNames.DdosMode,
            "Jun  7 04:10:35 host sshd[500]: Connection closed by 192.0.2.15 port 35352",
            "Jun  7 04:10:36 host sshd[500]: error: kex_exchange_identification: Connection closed by remote host");
        var expired = Run(FilterNames.NormalMode,
            "Jun  7 04:00:00 host sshd[501]: Connection from 192.0.2.17 port 1 on 192.0.2.1 port 22",
            "Jun  7 04:30:00 host sshd[501]: Disconnecting: Too many authentication failures [preauth]");

        Assert.Empty(closed);
        Assert.Empty(expired);
    }

    [Fact]
    public void The_pid_table_stays_bounded_under_a_flood_of_distinct_pids()
    {
        var filter = new SshdFilter(FilterNames.NormalMode);

        for (var pid = 1; pid <= SshdConnections.Capacity * 3; pid++)
        {
            filter.Match(SyslogLine.Parse($"2026-11-23T10:00:00+00:00 h sshd[{pid}]: Connection from 192.0.2.7 port 22 on 192.0.2.1 port 22", Time.GetUtcNow(), Time));
            Assert.True(filter.TrackedConnections <= SshdConnections.Capacity);
        }
    }

    [Fact]
    public void Journal_entries_are_joined_by_their_pid_field()
    {
        var filter = new SshdFilter();
        var at = Time.GetUtcNow();

        filter.Match(SyslogLine.Structured("Connection from 192.0.2.40 port 22 on 192.0.2.1 port 22 rdomain \"\"", "sshd-session", at, Time, pid: 77));
        var match = filter.Match(SyslogLine.Structured("Disconnecting: Too many authentication failures [preauth]", "sshd-session", at, Time, pid: 77));

        Assert.Equal(IPAddress.Parse("192.0.2.40"), match.Address);
    }

    /// <summary>The offences of a sequence of lines judged by one filter: (1-based line index, address).</summary>
    private static List<(int, string)> Run(string mode, params string[] lines)
    {
        var filter = new SshdFilter(mode);
        var offences = new List<(int, string)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var match = filter.Match(SyslogLine.Parse(lines[i], Time.GetUtcNow(), Time));
            if (match.IsOffence)
            {
                offences.Add((i + 1, match.Address!.ToString()));
            }
        }

        return offences;
    }
}
