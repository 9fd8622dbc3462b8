using Tarpit.Agent.Commands;
using Tarpit.Agent.Control;

using Tarpit.Detection;

namespace Tarpit.Tests.Control;

public sealed class StatusTextTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_healthy_live_agent_says_so_with_its_table_its_watches_and_its_store()
    {
        using var output = new StringWriter();

        StatusCommand.Write(output, Report([], Watch(null)), Now);

        var text = output.ToString();
        Assert.Contains("tarpit-agent 1.0 is running (pid 42), up 2h3m, config /etc/tarpit/tarpit.toml", text, StringComparison.Ordinal);
        Assert.Contains("status:   healthy", text, StringComparison.Ordinal);
        Assert.Contains("firewall: live, table inet tarpit present, 3 element(s); store: 3 ban(s) in force, 3 of them kernel elements", text, StringComparison.Ordinal);
        Assert.Contains("redirecting new connections from banned sources: 22 → 2222 (ssh)", text, StringComparison.Ordinal);
        Assert.Contains("last reconcile 1m ago", text, StringComparison.Ordinal);
        Assert.Contains("sshd  /var/log/auth.log  120 line(s), 0.5/s, last line 12s ago  ok", text, StringComparison.Ordinal);
        Assert.Contains("store:    /var/lib/tarpit/tarpit.db, 1.5 MiB", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_degraded_agent_lists_every_reason_with_control_bytes_escaped()
    {
        using var output = new StringWriter();

        StatusCommand.Write(output, Report(["watch sshd (/var/log/\u001b[2Jauth.log): the file does not exist"], Watch("the file does not exist")), Now);

        var text = output.ToString();
        Assert.Contains("status:   degraded (1 problem(s))", text, StringComparison.Ordinal);
        Assert.Contains(@"  - watch sshd (/var/log/\x1b[2Jauth.log): the file does not exist", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", text, StringComparison.Ordinal);
        Assert.Contains("PROBLEM: the file does not exist", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Reporting_says_what_is_queued_sent_and_failed_and_when_the_budget_is_spent()
    {
        using var off = new StringWriter();
        using var on = new StringWriter();
        using var spent = new StringWriter();

        StatusCommand.Write(off, Report([], Watch(null)), Now);
        StatusCommand.Write(on, Report([], Watch(null)) with { Reporting = new ReportingReport(3, 40, 2, 1, 0, 43, 1000, false) }, Now);
        StatusCommand.Write(spent, Report([], Watch(null)) with { Reporting = new ReportingReport(9, 1000, 0, 0, 0, 1000, 1000, true) }, Now);

        Assert.DoesNotContain("abuseipdb", off.ToString(), StringComparison.Ordinal);
        Assert.Contains("abuseipdb: 3 queued, 40 sent, 2 duplicate, 1 failed, 0 dropped (outbox full); today 43 of 1000 requests\n", on.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("today 1000 of 1000 requests: BUDGET SPENT, waiting for the next UTC day", spent.ToString(), StringComparison.Ordinal);
    }

    private static WatchStatus Watch(string? problem) =>
        new("sshd", "/var/log/auth.log", "sshd", problem is null, 120, 0.5, Now - TimeSpan.FromSeconds(12), 0, problem);

    private static StatusReport Report(IReadOnlyList<string> problems, WatchStatus watch) => new(
        "1.0",
        42,
        Now - TimeSpan.FromMinutes(123),
        123 * 60,
        "/etc/tarpit/tarpit.toml",
        new FirewallReport("live", null, "tarpit", true, "22 → 2222 (ssh)", true, 3, 3, 3, 0, Now - TimeSpan.FromMinutes(1), null),
        [watch],
        new GeoReport(null, false, null, false),
        new StoreReport("/var/lib/tarpit/tarpit.db", 1536 * 1024, null),
        0,
        problems);
}
