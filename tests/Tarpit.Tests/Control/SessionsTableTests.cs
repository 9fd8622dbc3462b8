using Tarpit.Agent.Commands;
using Tarpit.Agent.Control;

namespace Tarpit.Tests.Control;

public sealed class SessionsTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Each_held_connection_is_one_line_with_where_it_came_from_and_what_it_sent_cut_to_the_width()
    {
        using var output = new StringWriter();
        IReadOnlyList<SessionReport> held =
        [
            Session("192.0.2.7", redirected: true, "SSH-2.0-Go", "NL", 64496),
            Session("2001:db8::9", redirected: false, "GET /" + new string('a', 200) + " HTTP/1.1", null, null),
        ];

        SessionsCommand.Write(output, held, width: 120, maxRows: 10);

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("Address      Country  ASN      Tarpit", lines[0], StringComparison.Ordinal);
        Assert.Contains("192.0.2.7    NL       AS64496  ssh     endless-banner  1h1m", lines[2], StringComparison.Ordinal);
        Assert.Contains("redirected from :22  SSH-2.0-Go", lines[2], StringComparison.Ordinal);
        Assert.Contains("direct", lines[3], StringComparison.Ordinal);
        Assert.True(lines.All(l => l.Length <= 120), string.Join('\n', lines));
        Assert.EndsWith("…", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public void Nobody_held_says_so_and_rows_past_the_screen_are_counted()
    {
        using var empty = new StringWriter();
        using var many = new StringWriter();

        SessionsCommand.Write(empty, [], 100, 10);
        SessionsCommand.Write(many, [.. Enumerable.Range(1, 5).Select(i => Session($"192.0.2.{i}", false, null, null, null))], 100, maxRows: 2);

        Assert.Equal("nobody is held right now" + Environment.NewLine, empty.ToString());
        Assert.Contains("… and 3 more (tarpit-agent sessions --json lists every one)", many.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_through_a_trusted_proxy_is_shown_via_the_proxy_with_the_port_it_reported_and_not_as_redirected()
    {
        using var output = new StringWriter();
        var proxied = Session("192.0.2.2", redirected: false, "GET /wp-login.php HTTP/1.0", null, null) with { OriginalPort = 8080, Proxy = "127.0.0.1" };

        SessionsCommand.Write(output, [proxied, Session("192.0.2.3", redirected: true, null, null, null), Session("192.0.2.4", redirected: false, null, null, null)], width: 200, maxRows: 10);
        var json = System.Text.Json.JsonSerializer.Serialize(new List<SessionReport> { proxied }, ControlJson.Default.ListSessionReport);

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("via proxy 127.0.0.1 to :8080  GET /wp-login.php", lines[2], StringComparison.Ordinal);
        Assert.Contains("redirected from :22", lines[3], StringComparison.Ordinal);
        Assert.EndsWith("direct", lines[4], StringComparison.Ordinal);
        Assert.Equal("via proxy 127.0.0.1 to :8080", proxied.Via());
        Assert.Contains("\"proxy\":\"127.0.0.1\"", json, StringComparison.Ordinal);
        Assert.Contains("\"redirected\":false", json, StringComparison.Ordinal);
        Assert.Contains("\"original_port\":8080", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.5s")]
    [InlineData("soon")]
    [InlineData("")]
    public void An_interval_under_a_second_or_not_a_duration_is_a_usage_error(string interval)
    {
        var ex = Assert.Throws<OperatorException>(() => SessionsCommand.ParseInterval(interval));

        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
    }

    private static SessionReport Session(string address, bool redirected, string? first, string? country, long? asn) => new(
        1, address, 40000, "ssh", "ssh", "endless-banner", Now - TimeSpan.FromSeconds(3660), 3660, 1234, false, first, redirected, redirected ? 22 : 2222, country, asn, null);
}
