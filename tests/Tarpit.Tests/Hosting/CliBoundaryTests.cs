using System.CommandLine;
using Serilog;
using Tarpit.Agent;
using Tarpit.Tests.Tarpits;

namespace Tarpit.Tests.Hosting;

/// <summary>The one CLI error boundary and the one exit-code table.</summary>
public sealed class CliBoundaryTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("tarpit-cli-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task An_operator_error_prints_one_sentence_on_stderr_and_returns_its_code()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var error = new StringWriter();

        var exitCode = await CliBoundary.RunAsync("ban", error, _ => throw new OperatorException("refused: 192.0.2.7 is allowlisted.", ExitCodes.Refused), timeout.Token);

        Assert.Equal(ExitCodes.Refused, exitCode);
        Assert.Equal($"tarpit-agent ban: refused: 192.0.2.7 is allowlisted.{Environment.NewLine}", error.ToString());
    }

    [Fact]
    public async Task An_unexpected_exception_exits_70_with_one_bug_report_and_one_stack_trace()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var error = new StringWriter();

        var exitCode = await CliBoundary.RunAsync("list", error, _ => Fail(), timeout.Token);

        Assert.Equal(ExitCodes.Software, exitCode);
        var text = error.ToString();
        Assert.StartsWith(CliBoundary.BugSentence("list"), text, StringComparison.Ordinal);
        Assert.Contains("this is a bug in tarpit-agent", text, StringComparison.Ordinal);
        Assert.Equal(1, Count(text, "System.InvalidOperationException: the store went away"));
    }

    [Fact]
    public async Task The_daemon_reports_a_bug_once_into_its_log_with_the_exception()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var sink = new CollectingLogSink();
        using var log = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();

        var exitCode = await CliBoundary.RunAsync("run", log, _ => Fail(), timeout.Token);

        Assert.Equal(ExitCodes.Software, exitCode);
        var logged = Assert.Single(sink.Events);
        Assert.Equal(Serilog.Events.LogEventLevel.Fatal, logged.Level);
        Assert.IsType<InvalidOperationException>(logged.Exception);
    }

    [Fact]
    public async Task A_config_error_prints_every_diagnostic_and_exits_78()
    {
        var path = Path.Combine(_dir.FullName, "bad.toml");
        await File.WriteAllTextAsync(path, "[firewal]\n");

        var (exitCode, output, error) = await InvokeAsync(["ban", "192.0.2.7", "--config", path]);

        Assert.Equal(78, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Equal($"{path}:1:2: error: unknown table [firewal]; did you mean [firewall]?{Environment.NewLine}", error);
    }

    [Theory]
    [InlineData("10000000w")]
    [InlineData("99999999999999999999s")]
    [InlineData("3651d")]
    public async Task A_ban_length_beyond_the_longest_duration_is_a_usage_error_in_one_sentence(string length)
    {
        var path = Path.Combine(_dir.FullName, "tarpit.toml");
        await File.WriteAllTextAsync(path, $"[agent]\nstate_dir = \"{_dir.FullName}\"\n");

        var (exitCode, output, error) = await InvokeAsync(["ban", "192.0.2.7", "--for", length, "--config", path]);

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Equal($"tarpit-agent ban: --for '{length}' is not a ban length: expected {Tarpit.Bans.BanLength.Allowed}{Environment.NewLine}", error);
    }

    [Fact]
    public async Task An_interrupted_verb_exits_130_without_a_bug_report()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        using var error = new StringWriter();

        var exitCode = await CliBoundary.RunAsync("ban", error, token => Task.FromCanceled<int>(token), cancelled.Token);

        Assert.Equal(ExitCodes.Interrupted, exitCode);
        Assert.DoesNotContain("bug", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ban --no-such-option")]
    [InlineData("ban")]
    [InlineData("list --all extra")]
    [InlineData("no-such-verb")]
    [InlineData("unban --all")]
    [InlineData("unban 192.0.2.7 --source fail2ban")]
    [InlineData("unban")]
    [InlineData("ban --restored 2 192.0.2.7")]
    [InlineData("ban -- --help")]
    [InlineData("unban -- --help")]
    public async Task A_parse_error_exits_2_like_a_usage_error_and_names_the_problem(string commandLine)
    {
        var (exitCode, _, error) = await InvokeAsync(commandLine.Split(' '));

        Assert.Equal(2, exitCode);
        Assert.NotEqual(string.Empty, error.Trim());
    }

    [Fact]
    public async Task A_bare_tarpit_agent_prints_the_help_and_how_to_start_and_starts_nothing()
    {
        var (exitCode, output, error) = await InvokeAsync([]);

        Assert.Equal(2, exitCode);
        Assert.Contains("Exit codes:", output, StringComparison.Ordinal);
        Assert.Contains("run --observe --config", output, StringComparison.Ordinal);
        Assert.Contains("no verb given, so nothing was started", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_root_help_lists_every_exit_code()
    {
        var (exitCode, output, _) = await InvokeAsync(["--help"]);

        Assert.Equal(0, exitCode);
        Assert.Contains("Exit codes:", output, StringComparison.Ordinal);
        foreach (var line in ExitCodes.Table.Split('\n').Skip(1))
        {
            Assert.Contains(line.Trim(), output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_table_keeps_every_code_the_fail2ban_action_and_scripts_rely_on()
    {
        Assert.Equal(
            (0, 1, 2, 3, 66, 70, 78),
            (ExitCodes.Ok, ExitCodes.Failure, ExitCodes.Usage, ExitCodes.Refused, ExitCodes.NoInput, ExitCodes.Software, ExitCodes.Config));
    }

    private static Task<int> Fail() => throw new InvalidOperationException("the store went away");

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static async Task<(int ExitCode, string Output, string Error)> InvokeAsync(string[] args)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await AgentCli.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error }, timeout.Token);
        return (exitCode, output.ToString(), error.ToString());
    }
}
