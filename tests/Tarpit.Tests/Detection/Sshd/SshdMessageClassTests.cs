using System.Net;
using Microsoft.Extensions.Time.Testing;
using Tarpit.Config;
using Tarpit.Detection.Filters;

namespace Tarpit.Tests.Detection.Sshd;

/// <summary>
/// Every message class of fail2ban's <c>filter.d/sshd.conf</c>, one line each as OpenSSH 7.4–9.9 writes it, with the
/// modes it is a failure in. Each line is judged alone (a fresh filter), so none depends on another's pid.
/// </summary>
public sealed class SshdMessageClassTests
{
    private const string N = "normal ddos extra aggressive";
    private const string D = "ddos aggressive";
    private const string E = "extra aggressive";

    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    public static TheoryData<string, string, string> Classes => new()
    {
        // normal: failed logins (the error:/fatal: prefix syslog and journald put before some)
        { N, "192.0.2.1", "sshd[1]: Failed password for invalid user ROOT from 192.0.2.1 port 50273 ssh2" },
        { N, "192.0.2.1", "sshd[1]: Failed password for invalid user ROOT from 192.0.2.1 port 12345" },
        { N, "2001:db8::1:1", "sshd[1]: Failed password for invalid user ROOT from 2001:db8::1:1" },
        { N, "192.0.2.1", "sshd[1]: Failed password for dan from 192.0.2.1 port 45416 ssh1" },
        { N, "192.0.2.1", "sshd[1]: Failed keyboard-interactive/pam for invalid user jamedds from 192.0.2.1 port 33723 ssh2" },
        { N, "192.0.2.1", "sshd[1]: Failed none for invalid user test from 192.0.2.1 port 2222 ssh2" },
        { N, "192.0.2.1", "sshd[1]: Failed publickey for invalid user graysky from 192.0.2.1 port 37954 ssh2: RSA SHA256:v3dpapGleDaUKf" },
        { N, "192.0.2.1", "sshd[1]: Failed hostbased for dan from 192.0.2.1 port 45785 ssh2: RSA SHA256:x, client user \"dan\", client host \"localhost.localdomain\"" },
        { N, "192.0.2.1", "<38>1 2019-07-08T17:40:16.954167-04:00 host.example.com sshd 57915 - - Failed unknown for invalid user redmond from 192.0.2.1 port 59197 ssh2" },
        { N, "192.0.2.1", "sshd[1]: Invalid user ftp from 192.0.2.1" },
        { N, "192.0.2.1", "sshd[1]: Invalid user  from 192.0.2.1 port 34916" },
        { N, "192.0.2.1", "sshd[1]: Illegal user test from 192.0.2.1" },
        { N, "1.2.3.4", "sshd[1]: ROOT LOGIN REFUSED FROM 1.2.3.4" },
        { N, "1.2.3.4", "sshd[1]: ROOT LOGIN REFUSED FROM 1.2.3.4 port 12345 [preauth]" },
        { N, "1.2.3.4", "sshd[1]: ROOT LOGIN REFUSED FROM ::ffff:1.2.3.4" },
        { N, "192.0.2.1", "sshd[1]: User root from 192.0.2.1 not allowed because not listed in AllowUsers" },
        { N, "192.0.2.1", "sshd[1]: User root from 192.0.2.1 not allowed because listed in DenyUsers" },
        { N, "192.0.2.1", "sshd[1]: User allena from 192.0.2.1 not allowed because not in any group" },
        { N, "192.0.2.1", "sshd[1]: User root from 192.0.2.1 not allowed because a group is listed in DenyGroups" },
        { N, "192.0.2.1", "sshd[1]: User root from 192.0.2.1 not allowed because none of user's groups are listed in AllowGroups" },
        { N, "218.249.210.161", "sshd[1]: refused connect from _U2FsdGVkX19P3BCJmFBHhjLza8BcMH06WCUVwttMHpE=_@::ffff:218.249.210.161 (::ffff:218.249.210.161)" },
        { N, "2606:2800:220:1:248:1893:25c8:1946", "sshd[1]: error: PAM: Authentication failure for test-ipv6 from 2606:2800:220:1:248:1893:25c8:1946" },
        { N, "192.0.2.88", "sshd[1]: error: PAM: authentication failure for james from 192.0.2.88 via 192.168.1.201" },
        { N, "192.0.2.103", "sshd[1]: error: PAM: authentication error for james from 192.0.2.103" },
        { N, "10.215.4.227", "sshd[1]: error: PAM: User not known to the underlying authentication module for illegal user kernelitshell from 10.215.4.227 " },
        { N, "192.0.2.9", "sshd[1]: error: maximum authentication attempts exceeded for root from 192.0.2.9 port 49940 ssh2 [preauth]" },
        { N, "192.0.2.9", "sshd[1]: error: maximum authentication attempts exceeded for invalid user oracle from 192.0.2.9 port 51000 ssh2 [preauth]" },
        { N, "89.24.13.192", "sshd[1]: Received disconnect from 89.24.13.192: 3: com.jcraft.jsch.JSchException: Auth fail" },
        { N, "10.0.0.1", "sshd[1]: error: Received disconnect from 10.0.0.1 port 7736:3: com.jcraft.jsch.JSchException: Auth fail [preauth]" },
        { N, "94.249.236.6", "sshd[1]: error: Received disconnect from 94.249.236.6: 3: Ha ha, suckers!: Auth fail [preauth]" },
        { N, "192.0.2.117", "sshd[1]: Disconnecting invalid user admin 192.0.2.117 port 44004: Change of username or service not allowed: (admin,ssh-connection) -> (user,ssh-connection) [preauth]" },
        { N, "192.0.2.117", "sshd[1]: Disconnecting authenticating user root 192.0.2.117 port 44004: Change of username or service not allowed: (root,ssh-connection) -> (x,ssh-connection) [preauth]" },
        { N, "203.0.113.6", "sshd[1]: Disconnecting authenticating user root 203.0.113.6 port 51000: Too many authentication failures [preauth]" },

        // ddos: connections that never try to log in
        { D, "69.61.56.114", "sshd[1]: Did not receive identification string from 69.61.56.114" },
        { D, "192.0.2.5", "sshd[1]: Did not receive identification string from 192.0.2.5 port 35836" },
        { D, "69.61.56.115", "sshd[1]: Bad protocol version identification 'dummy string' from 69.61.56.115 port 31778" },
        { D, "69.61.56.115", "sshd[1]: Bad protocol version identification 'dummy string' from 192.0.2.1' from 69.61.56.115 port 31778" },
        { D, "192.0.2.12", "sshd[1]: banner exchange: Connection from 192.0.2.12 port 44105: invalid format" },
        { D, "192.0.2.12", "sshd-session[1]: error: banner exchange: Connection from 192.0.2.12 port 44105: invalid format" },
        { D, "192.0.2.39", "sshd[1]: Connection reset by 192.0.2.39 port 14282 [preauth]" },
        { D, "192.0.2.20", "sshd[1]: Connection reset by authenticating user root 192.0.2.20 port 1558 [preauth]" },
        { D, "192.0.2.10", "sshd[1]: Connection closed by authenticating user root 192.0.2.10 port 46038 [preauth]" },
        { D, "192.0.2.11", "sshd[1]: Connection closed by authenticating user test 127.0.0.1 port 12345 192.0.2.11 port 46039 [preauth]" },
        { D, "192.0.2.68", "sshd[1]: Connection closed by invalid user  192.0.2.68 port 34916 [preauth]" },
        { D, "192.0.2.212", "sshd[1]: Connection closed by 192.0.2.212 [preauth]" },
        { D, "192.0.2.4", "sshd[1]: Disconnected from 192.0.2.4 port 36985 [preauth]" },
        { D, "192.0.2.38", "sshd-session[1]: Timeout before authentication for 192.0.2.38 port 40000" },

        // extra: failed negotiations, no authentication methods, a named user's preauth disconnect
        { E, "127.0.0.1", "sshd[1]: Received disconnect from 127.0.0.1: 14: No supported authentication methods available [preauth]" },
        { E, "192.168.2.92", "sshd[1]: error: Received disconnect from 192.168.2.92 port 1684:14: No supported authentication methods available [preauth]" },
        { E, "192.168.2.93", "sshd[1]: error: Received disconnect from 192.168.2.93 port 1883:14: No authentication methods available [preauth]" },
        { E, "192.0.2.1", "sshd[1]: Unable to negotiate with 192.0.2.1 port 55419: no matching cipher found. Their offer: aes256-cbc,3des-cbc,none [preauth]" },
        { E, "192.0.2.2", "sshd[1]: fatal: Unable to negotiate with 192.0.2.2 port 55419: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1" },
        { E, "192.0.2.4", "sshd[1]: Unable to negotiate with 192.0.2.4 port 50404: no matching host key type found. Their offer: ssh-dss" },
        { E + " ddos", "192.0.2.6", "sshd[1]: Disconnected from authenticating user root 192.0.2.6 port 33553 [preauth]" },
        { E + " ddos", "192.0.2.33", "sshd[1]: Disconnected from invalid user admin 192.0.2.33 port 40000 [preauth]" },
    };

    public static TheoryData<string> NeverFailures => new()
    {
        "sshd[1]: Accepted publickey for git from 192.0.2.1 port 57904 ssh2: DSA 36:48:xx",
        "sshd[1]: Postponed publickey for git from 192.0.2.1 port 57904 ssh2 [preauth]",
        "sshd[1]: Failed publickey for git from 192.0.2.1 port 57904 ssh2: ECDSA 0e:ff:xx",
        "sshd[1]: Connection from 192.0.2.16 port 51280 on 192.0.2.16 port 22 rdomain \"\"",
        "sshd[1]: Connection closed by 192.0.2.113",
        "sshd[1]: Disconnected from user root 192.0.2.1 port 60888",
        "sshd[1]: Received disconnect from 192.0.2.1 port 60888:11: disconnected by user",
        "sshd[1]: Received disconnect from 192.0.2.1 port 58846:11: Bye Bye [preauth]",
        "sshd[1]: Address 1.2.3.4 maps to 1234.bbbbbb.com, but this does not map back to the address - POSSIBLE BREAK-IN ATTEMPT!",
        "sshd[1]: input_userauth_request: invalid user root [preauth]",
        "sshd[1]: error: kex_exchange_identification: banner line too long",
        "sshd[1]: SSH: Server;Ltype: Version;Remote: 127.0.0.1-1780;Protocol: 2.0;Client: libssh2_1.4.3",
        "sshd[1]: Server listening on 0.0.0.0 port 22.",
        "sshd[1]: pam_unix(sshd:session): session opened for user rda by (uid=0)",
        "sshd[1]: error: PAM: Authentication failure for stefanor from example.com",
        "sshd[1]: Failed password for invalid user ROOT from 192.030.0.6 port 1 ssh2",
    };

    [Theory]
    [MemberData(nameof(Classes))]
    public void Each_class_is_a_failure_by_the_address_sshd_wrote_in_its_modes_only(string modes, string expected, string line)
    {
        foreach (var mode in FilterNames.Modes)
        {
            var match = Match(mode, line);

            if (modes.Split(' ').Contains(mode))
            {
                Assert.True(match.IsOffence, $"{mode}: {line}");
                Assert.Equal(IPAddress.Parse(expected), match.Address);
                Assert.NotNull(match.Rule);
            }
            else
            {
                Assert.False(match.IsOffence, $"{mode}: {line}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(NeverFailures))]
    public void Logins_key_probes_and_names_that_are_not_addresses_are_failures_in_no_mode(string line)
    {
        foreach (var mode in FilterNames.Modes)
        {
            Assert.False(Match(mode, line).IsOffence, $"{mode}: {line}");
        }
    }

    private static FilterMatch Match(string mode, string line) =>
        new SshdFilter(mode).Match(SyslogLine.Parse(line.StartsWith('<') ? line : "Nov 23 10:00:00 host " + line, Time.GetUtcNow(), Time));
}
