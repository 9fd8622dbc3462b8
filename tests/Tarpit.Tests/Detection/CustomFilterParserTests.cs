using System.Net;
using Microsoft.Extensions.Time.Testing;
using Tarpit.Config;
using Tarpit.Detection.Filters;

namespace Tarpit.Tests.Detection;

public sealed class CustomFilterParserTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Multi_line_failregex_and_ignoreregex_values_are_read_from_the_definition_section()
    {
        const string text = """
            # myapp login failures
            [Definition]
            failregex = ^Login failed for .* from <HOST>$
                        ^Bad token from <HOST>$
            ignoreregex = ^Login failed for healthcheck from
            """;

        var filter = CustomFilterParser.Parse("myapp", "myapp.conf", text);

        Assert.Equal(2, filter.FailRegexes.Count);
        Assert.Single(filter.IgnoreRegexes);
        Assert.Equal(IPAddress.Parse("192.0.2.5"), Match(filter, "2026-11-23T10:00:00+00:00 h myapp[1]: Bad token from 192.0.2.5").Address);
        Assert.Equal(FilterVerdict.Offence, Match(filter, "Login failed for bob from 192.0.2.6").Verdict);
        Assert.Equal(FilterVerdict.Ignored, Match(filter, "Login failed for healthcheck from 192.0.2.7").Verdict);
        Assert.Equal(FilterVerdict.Missed, Match(filter, "Login ok for bob from 192.0.2.6").Verdict);
    }

    [Fact]
    public void A_failregex_without_host_is_reported_with_file_line_and_column()
    {
        const string text = "[Definition]\nfailregex = ^Login failed$\n";

        var ex = Assert.Throws<ConfigException>(() => CustomFilterParser.Parse("f", "f.conf", text));

        var diagnostic = Assert.Single(ex.Diagnostics);
        Assert.Equal(("f.conf", 2, 13), (diagnostic.File, diagnostic.Line, diagnostic.Column));
        Assert.Contains("<HOST> exactly once", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_regex_on_a_continuation_line_is_reported_at_its_position()
    {
        const string text = "[Definition]\nfailregex = ^ok <HOST>$\n    ^bad (unclosed <HOST>$\n";

        var ex = Assert.Throws<ConfigException>(() => CustomFilterParser.Parse("f", "f.conf", text));

        var diagnostic = Assert.Single(ex.Diagnostics);
        Assert.Equal(3, diagnostic.Line);
        Assert.Equal(26, diagnostic.Column);
        Assert.StartsWith("f.conf:3:", diagnostic.ToString(), StringComparison.Ordinal);
        Assert.Contains("invalid regular expression", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        const string text = """
            [INCLUDES]
            before = common.conf
            [Definition]
            failregex = ^%(__prefix_line)sLogin failed from <HOST>$
            datepattern = {^LN-BEG}
            ignoreregex = ^x <HOST>$
            """;

        var ex = Assert.Throws<ConfigException>(() => CustomFilterParser.Parse("f", "f.conf", text));

        Assert.Equal([1, 4, 5, 6], ex.Diagnostics.Select(d => d.Line));
        Assert.Equal(14, ex.Diagnostics[1].Column);
        Assert.Contains("unknown key 'datepattern'", ex.Diagnostics[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_failregex_is_an_error()
    {
        var ex = Assert.Throws<ConfigException>(() => CustomFilterParser.Parse("f", "f.conf", "[Definition]\nignoreregex =\n"));

        Assert.Contains("no failregex", Assert.Single(ex.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_matches_addresses_only_never_host_names()
    {
        var filter = CustomFilterParser.Parse("f", "f.conf", "[Definition]\nfailregex = ^fail from <HOST>$\n");

        Assert.NotEqual(FilterVerdict.Offence, Match(filter, "fail from evil.example").Verdict);
    }

    private static FilterMatch Match(ILogFilter filter, string line) =>
        filter.Match(SyslogLine.Parse(line, Time.GetUtcNow(), Time));
}
