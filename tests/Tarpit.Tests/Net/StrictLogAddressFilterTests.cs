using Microsoft.Extensions.Time.Testing;
using Tarpit.Config;
using Tarpit.Detection.Filters;

namespace Tarpit.Tests.Net;

public sealed class StrictLogAddressFilterTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("2026-11-23T10:00:00+00:00 web1 sshd[1]: Invalid user a from 192.168.001.010 port 22")]
    [InlineData("2026-11-23T10:00:00+00:00 web1 sshd[1]: Failed password for invalid user a from 192.168.001.010 port 22 ssh2")]
    [InlineData("2026-11-23T10:00:00+00:00 web1 sshd[1]: Failed password for root from 010.0.0.1 port 22 ssh2")]
    [InlineData("2026-11-23T10:00:00+00:00 web1 sshd[1]: Failed password for root from ::ffff:010.0.0.1 port 22 ssh2")]
    [InlineData("2026-11-23T10:00:00+00:00 web1 sshd[1]: Failed password for root from fe80::1%eth0 port 22 ssh2")]
    public void An_sshd_line_whose_address_has_leading_zeros_or_a_zone_charges_nobody(string line)
    {
        var match = new SshdFilter(FilterNames.AggressiveMode).Match(SyslogLine.Parse(line, Time.GetUtcNow(), Time));

        Assert.NotEqual(FilterVerdict.Offence, match.Verdict);
        Assert.Null(match.Address);
    }

    [Fact]
    public void A_custom_filter_host_with_leading_zeros_charges_nobody()
    {
        var filter = CustomFilterParser.Parse("f", "f.conf", "[Definition]\nfailregex = ^Login failed from <HOST>$\n");

        var match = filter.Match(SyslogLine.Parse("Login failed from 192.168.001.010", Time.GetUtcNow(), Time));

        Assert.NotEqual(FilterVerdict.Offence, match.Verdict);
    }
}
