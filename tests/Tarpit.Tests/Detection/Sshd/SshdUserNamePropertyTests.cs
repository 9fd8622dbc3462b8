using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Tarpit.Config;
using Tarpit.Detection.Filters;

namespace Tarpit.Tests.Detection.Sshd;

/// <summary>
/// Property: OpenSSH lets the client choose any user name but <c>':'</c> (auth2.c cuts it there); whatever it is, a
/// failure charges the address sshd wrote, in every mode, and never another one. Names are drawn from a fixed seed
/// (reproducible) out of sshd's own words, addresses and suffixes, blanks and printable ASCII.
/// </summary>
public sealed class SshdUserNamePropertyTests
{
    private const int Cases = 3000;
    private const string Real = "198.51.100.77";
    private const string RealV6 = "2001:db8::77";

    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    private static readonly string[] Pieces =
    [
        " ", "  ", "from", " from ", "port", " port ", "22", "65535", "ssh2", " ssh2", "[preauth]", " [preauth]", "invalid user",
        "authenticating user", "user", "1.2.3.4", "10.10.1.2", "::1", "2001:db8::", "::ffff:10.0.0.1", "192.0.2.1 port 22",
        " from 10.9.8.7 port 22 ssh2", "not allowed because listed in DenyUsers", "on 10.0.0.1", "via 10.0.0.2", "(", ")", "'",
        "\"", "rhost=10.0.0.3", "Auth fail", "Too many authentication failures", "Change of username or service not allowed", "x",
    ];

    /// <summary>Every failure sshd writes with a user name in it; {0} the name, {1} the address.</summary>
    private static readonly (string Template, string Mode)[] Templates =
    [
        ("Invalid user {0} from {1} port 22", FilterNames.NormalMode),
        ("Failed password for invalid user {0} from {1} port 22 ssh2", FilterNames.NormalMode),
        ("Failed password for {0} from {1} port 22 ssh2", FilterNames.NormalMode),
        ("Failed keyboard-interactive/pam for invalid user {0} from {1} port 22 ssh2", FilterNames.NormalMode),
        ("Failed publickey for invalid user {0} from {1} port 22 ssh2: ED25519 SHA256:abc", FilterNames.NormalMode),
        ("Failed hostbased for {0} from {1} port 22 ssh2: ED25519 SHA256:abc, client user \"{0}\", client host \"{0}\"", FilterNames.NormalMode),
        ("error: maximum authentication attempts exceeded for invalid user {0} from {1} port 22 ssh2 [preauth]", FilterNames.NormalMode),
        ("User {0} from {1} not allowed because not listed in AllowUsers", FilterNames.NormalMode),
        ("error: PAM: Authentication failure for {0} from {1}", FilterNames.NormalMode),
        ("Disconnecting invalid user {0} {1} port 22: Change of username or service not allowed: ({0},ssh-connection) -> (y,ssh-connection) [preauth]", FilterNames.NormalMode),
        ("Disconnecting authenticating user {0} {1} port 22: Too many authentication failures [preauth]", FilterNames.NormalMode),
        ("Connection closed by invalid user {0} {1} port 22 [preauth]", FilterNames.DdosMode),
        ("Connection reset by authenticating user {0} {1} port 22 [preauth]", FilterNames.DdosMode),
        ("Disconnected from invalid user {0} {1} port 22 [preauth]", FilterNames.ExtraMode),
        ("Bad protocol version identification '{0}' from {1} port 22", FilterNames.DdosMode),
    ];

    [Fact]
    public void No_user_name_changes_the_charged_address()
    {
        var random = new Random(20261123);
        for (var i = 0; i < Cases; i++)
        {
            var name = RandomName(random);
            foreach (var (template, mode) in Templates)
            {
                foreach (var address in new[] { Real, RealV6 })
                {
                    var message = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, name, address);
                    foreach (var line in new[] { "Nov 23 10:00:00 host sshd[42]: " + message, message })
                    {
                        var match = new SshdFilter(mode).Match(SyslogLine.Parse(line, Time.GetUtcNow(), Time));

                        Assert.True(match.IsOffence, $"not matched: {line}");
                        Assert.True(IPAddress.Parse(address).Equals(match.Address), $"charged {match.Address} for: {line}");
                    }
                }
            }
        }
    }

    [Fact]
    public void A_name_that_is_an_address_with_sshds_words_around_it_is_still_only_a_name()
    {
        var filter = new SshdFilter(FilterNames.AggressiveMode);

        foreach (var (template, _) in Templates)
        {
            var message = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, "x from 10.10.1.2 port 55555 ssh2", Real);
            Assert.Equal(IPAddress.Parse(Real), filter.Match(SyslogLine.Parse(message, Time.GetUtcNow(), Time)).Address);
        }
    }

    private static string RandomName(Random random)
    {
        var name = new StringBuilder();
        var parts = random.Next(0, 6);
        for (var p = 0; p < parts; p++)
        {
            if (random.Next(3) == 0)
            {
                // printable ASCII but ':', which sshd cuts the name at
                var c = (char)random.Next(0x20, 0x7f);
                name.Append(c == ':' ? '_' : c);
            }
            else
            {
                name.Append(Pieces[random.Next(Pieces.Length)]);
            }
        }

        return name.ToString().Replace(":", "", StringComparison.Ordinal);
    }
}
