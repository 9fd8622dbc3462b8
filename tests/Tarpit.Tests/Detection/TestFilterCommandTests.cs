using Tarpit.Agent.Commands;

namespace Tarpit.Tests.Detection;

public sealed class TestFilterCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tarpit-test-filter-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Without_a_config_the_default_window_judges_the_log_and_reports_counts_and_bans()
    {
        var log = Write("auth.log", string.Concat(Enumerable.Range(0, 6).Select(i =>
            $"2026-11-23T10:00:0{i}.000000+00:00 h sshd[1]: Invalid user a{i} from 192.0.2.9 port 22\n"))
            + "2026-11-23T10:00:09.000000+00:00 h sshd[1]: Accepted publickey for alice from 198.51.100.1 port 22 ssh2: ED25519 SHA256:x\n"
            + "2026-11-23T10:00:10.000000+00:00 h sshd[1]: Failed unknown-method for x from 198.51.100.2 port 22 ssh2 extra\n");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = TestFilterCommand.Run("sshd", log, null, showMissed: true, output, error);

        var text = output.ToString();
        Assert.Equal(0, exit);
        Assert.Contains("Window:     5 offences within 10m (defaults)", text, StringComparison.Ordinal);
        Assert.Contains("Lines:      8 read, 6 matched, 0 ignored, 2 missed, 0 cut", text, StringComparison.Ordinal);
        Assert.Contains("Would ban:  1 addresses", text, StringComparison.Ordinal);
        Assert.Contains("192.0.2.9", text, StringComparison.Ordinal);
        Assert.Contains("Failed unknown-method", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Accepted publickey", text.Split("Missed lines")[1], StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_config_given_with_config_exits_78_with_its_diagnostics()
    {
        var log = Write("auth.log", "");
        var config = Write("tarpit.toml", "[[watch]]\nmax_retry = \"many\"\n");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = TestFilterCommand.Run("sshd", log, config, showMissed: false, output, error);

        Assert.Equal(78, exit);
        Assert.Contains("tarpit.toml:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_filter_is_a_usage_error_and_a_missing_log_is_no_input()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var unknown = TestFilterCommand.Run("nosuchfilter", Write("a.log", ""), null, false, output, error);
        var missing = TestFilterCommand.Run("sshd", Path.Combine(_directory, "missing.log"), null, false, output, error);

        Assert.Equal((2, ExitCodes.NoInput), (unknown, missing));
        Assert.Contains("unknown filter 'nosuchfilter'", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_custom_filter_file_with_a_bad_pattern_exits_78_at_its_position()
    {
        var filter = Write("bad.conf", "[Definition]\nfailregex = ^no host here$\n");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = TestFilterCommand.Run(filter, Write("a.log", ""), null, false, output, error);

        Assert.Equal(78, exit);
        Assert.Contains("bad.conf:2:13: error:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_padded_so_a_forged_address_ends_at_the_bound_charges_nobody_and_is_reported_as_cut()
    {
        const string head = "Login failed for user ";
        var filter = Write("app.conf", "[Definition]\nfailregex = ^Login failed for user .* from <HOST>$\n");
        var atBound = head + new string('x', Tarpit.Detection.Sources.LineSplitter.DefaultMaxLineBytes - head.Length - " from 192.0.2.251".Length) + " from 192.0.2.251";
        var padded = head + new string('x', Tarpit.Detection.Sources.LineSplitter.DefaultMaxLineBytes - head.Length - " from 192.0.2.250".Length) + " from 192.0.2.250";
        var log = Write("app.log", atBound + "\n" + padded + " from 203.0.113.5\n");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = TestFilterCommand.Run(filter, log, null, showMissed: false, output, error);

        var text = output.ToString();
        Assert.Equal(0, exit);
        Assert.Equal(Tarpit.Detection.Sources.LineSplitter.DefaultMaxLineBytes, atBound.Length);
        Assert.DoesNotContain("192.0.2.250", text, StringComparison.Ordinal);
        Assert.DoesNotContain("203.0.113.5", text, StringComparison.Ordinal);
        Assert.Contains("192.0.2.251", text, StringComparison.Ordinal);
        Assert.Contains("Lines:      2 read, 1 matched, 0 ignored, 0 missed, 1 cut (longer than 16384 bytes, not judged)", text, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
