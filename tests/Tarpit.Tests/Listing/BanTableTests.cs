using System.Net;
using Tarpit.Agent.Listing;
using Tarpit.Store;

namespace Tarpit.Tests.Listing;

public sealed class BanTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void One_line_per_ban_under_a_header_with_the_count_last()
    {
        var output = Render([Ban("192.0.2.1/32", "sshd: 5 failures"), Ban("2001:db8::/64", "manual")], width: 200);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("Address ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("192.0.2.1 ", lines[2], StringComparison.Ordinal);
        // The source column says sshd: the reason cell does not say it again (issue 18 §4).
        Assert.Matches(@"sshd +5 failures", lines[2]);
        Assert.DoesNotContain("sshd: 5 failures", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("2001:db8::/64 ", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("2 redirected at ", lines[4], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(100)]
    public void A_long_reason_is_elided_in_the_middle_so_each_line_fits_the_terminal(int width)
    {
        var reason = "fail2ban jail sshd, 5 failures " + new string('x', 120) + " end";

        var output = Render([Ban("192.0.2.1/32", reason)], width);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, line => Assert.True(line.Length <= width, $"{line.Length} > {width}: {line}"));
        Assert.Contains("fail2ban", lines[2], StringComparison.Ordinal);
        Assert.Contains("…", lines[2], StringComparison.Ordinal);
        Assert.Contains("end", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_to_show_is_one_sentence()
    {
        Assert.Equal("nobody is redirected", Render([], width: 80).Trim());
    }

    [Theory]
    [InlineData("abcdef", 6, "abcdef")]
    [InlineData("abcdefgh", 6, "abc…gh")]
    [InlineData("abcdefgh", 3, "a…h")]
    [InlineData("abcdefgh", 1, "a…h")]
    public void Eliding_keeps_both_ends(string text, int width, string expected) =>
        Assert.Equal(expected, BanTable.Elide(text, width));

    [Fact]
    public void Fitting_shrinks_the_reason_first_and_never_below_its_minimum()
    {
        int[] natural = [15, 7, 30, 8, 100, 16, 10, 4, 8, 7, 10, 0];

        var fitted = BanTable.Fit(natural, 80);

        Assert.Equal(16, fitted[4]);
        Assert.Equal((0, 0), (fitted[2], fitted[10]));
        Assert.Equal((natural[0], natural[6]), (fitted[0], fitted[6]));
        Assert.True(fitted.Sum() + (2 * (fitted.Count(w => w > 0) - 1)) <= 80);
    }

    [Fact]
    public void The_count_line_never_calls_a_ban_missing_from_nft_redirected()
    {
        var missing = Ban("192.0.2.2/32", "manual") with { InFirewall = false };

        var footer = BanTable.Footer([Ban("192.0.2.1/32", "manual"), missing, Ban("192.0.2.3/32", "manual")], Now);

        Assert.StartsWith("2 redirected, 1 in force but not in nft ", footer, StringComparison.Ordinal);
        Assert.StartsWith("3 redirected at ", BanTable.Footer([Ban("192.0.2.1/32", "m"), Ban("192.0.2.2/32", "m"), Ban("192.0.2.3/32", "m")], Now), StringComparison.Ordinal);
    }

    private static string Render(IReadOnlyList<ListedBan> bans, int width)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        BanTable.Write(writer, bans, all: false, Now, width);
        return writer.ToString();
    }

    private static ListedBan Ban(string target, string reason) => new(
        new BanListRow(IPNetwork.Parse(target), "sshd", reason, Now.AddMinutes(-5), Now.AddHours(1), 1, true, null, 3, TimeSpan.FromSeconds(90), 1234),
        true,
        TimeSpan.FromHours(1));
}
