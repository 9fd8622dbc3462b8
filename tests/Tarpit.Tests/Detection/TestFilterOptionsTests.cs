using Tarpit.Agent.Commands;

namespace Tarpit.Tests.Detection;

/// <summary>test-filter as fail2ban-regex is used: per-line output, modes, the journal, exit codes for scripts.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TestFilterOptionsTests : IDisposable
{
    private const string Log =
        "Nov 11 08:04:52 h sshd[2737]: Failed password for invalid user test from 127.0.0.1 port 58946 ssh2: from 10.10.1.2 port 55555 ssh2\n"
        + "Nov 11 08:04:53 h sshd[2737]: Failed publickey for git from 192.0.2.1 port 57904 ssh2: RSA SHA256:x\n"
        + "Nov 11 08:04:54 h sshd[2740]: Did not receive identification string from 192.0.2.5 port 35836\n"
        + "Nov 11 08:04:55 h CRON[1]: pam_unix(cron:session): session opened for user root\n";

    private readonly string _directory = Directory.CreateTempSubdirectory("tarpit-test-filter-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Print_all_shows_each_line_with_the_address_charged_and_why()
    {
        var (exit, output, _) = Run(new TestFilterRequest("sshd", Write("auth.log", Log), Print: TestFilterPrint.All));

        var lines = output.Split('\n');
        Assert.Equal(0, exit);
        Assert.Contains(lines, l => l.StartsWith("matched 127.0.0.1 [Failed <method>", StringComparison.Ordinal) && l.Contains("10.10.1.2 port 55555", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("ignored [Failed publickey for a valid user", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("missed | ", StringComparison.Ordinal) && l.Contains("Did not receive", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("missed | ", StringComparison.Ordinal) && l.Contains("CRON", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("matched 10.10.1.2", StringComparison.Ordinal));
    }

    [Fact]
    public void Print_matched_shows_only_matches_and_mode_ddos_adds_probes()
    {
        var (exit, output, _) = Run(new TestFilterRequest("sshd", Write("auth.log", Log), Mode: "ddos", Print: TestFilterPrint.Matched));

        Assert.Equal(0, exit);
        Assert.Contains("Filter:     sshd (ddos mode)", output, StringComparison.Ordinal);
        Assert.Contains("matched 192.0.2.5 [[ddos] Did not receive identification string", output, StringComparison.Ordinal);
        Assert.DoesNotContain("ignored [", output, StringComparison.Ordinal);
        Assert.DoesNotContain("missed | ", output, StringComparison.Ordinal);
        Assert.Contains("By class:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_log_where_nothing_matches_exits_4_and_a_bad_mode_or_two_sources_are_usage_errors()
    {
        var log = Write("quiet.log", "Nov 11 08:04:55 h CRON[1]: nothing\n");

        var (nothing, _, _) = Run(new TestFilterRequest("sshd", log));
        var (badMode, _, badModeError) = Run(new TestFilterRequest("sshd", log, Mode: "paranoid"));
        var (both, _, bothError) = Run(new TestFilterRequest("sshd", log, JournalUnit: "ssh.service"));
        var (neither, _, _) = Run(new TestFilterRequest("sshd", null));

        Assert.Equal((ExitCodes.NoMatch, ExitCodes.Usage, ExitCodes.Usage, ExitCodes.Usage), (nothing, badMode, both, neither));
        Assert.Contains("allowed: normal, ddos, extra, aggressive", badModeError, StringComparison.Ordinal);
        Assert.Contains("exactly one of LOGFILE and --journal", bothError, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_config_path_is_optional_but_a_given_one_must_exist_and_its_watch_mode_is_used()
    {
        var log = Write("auth.log", Log);
        var missing = Path.Combine(_directory, "absent.toml");
        var config = Write("tarpit.toml", "[[watch]]\nname = \"ssh\"\nfilter = \"sshd\"\nmode = \"aggressive\"\npath = \"/var/log/auth.log\"\nmax_retry = 2\n");

        var (implicitMissing, implicitOutput, _) = Run(new TestFilterRequest("sshd", log, ConfigPath: missing, ConfigGiven: false));
        var (givenMissing, _, _) = Run(new TestFilterRequest("sshd", log, ConfigPath: missing, ConfigGiven: true));
        var (fromConfig, configOutput, _) = Run(new TestFilterRequest("sshd", log, ConfigPath: config, ConfigGiven: false));

        Assert.Equal((0, ExitCodes.Config, 0), (implicitMissing, givenMissing, fromConfig));
        Assert.Contains("(defaults)", implicitOutput, StringComparison.Ordinal);
        Assert.Contains("Filter:     sshd (aggressive mode)", configOutput, StringComparison.Ordinal);
        Assert.Contains("Window:     2 offences within 10m (from [[watch]] ssh)", configOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Journal_reads_the_units_entries_with_their_pid_through_journalctl()
    {
        // a stand-in journalctl: a real process printing what `journalctl -o json -u UNIT` prints
        var journalctl = Write("journalctl", "#!/bin/sh\n[ \"$5\" = ssh.service ] || exit 1\ncat <<'EOF'\n"
            + "{\"__CURSOR\":\"c1\",\"__REALTIME_TIMESTAMP\":\"1764633600000000\",\"SYSLOG_IDENTIFIER\":\"sshd-session\",\"_PID\":\"4242\",\"MESSAGE\":\"Connection from 192.0.2.40 port 50000 on 192.0.2.1 port 22 rdomain \\\"\\\"\"}\n"
            + "{\"__CURSOR\":\"c2\",\"__REALTIME_TIMESTAMP\":\"1764633601000000\",\"_COMM\":\"sshd-session\",\"_PID\":\"4242\",\"MESSAGE\":\"Disconnecting: Too many authentication failures [preauth]\"}\n"
            + "EOF\n");
        File.SetUnixFileMode(journalctl, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var (exit, output, error) = Run(new TestFilterRequest("sshd", null, JournalUnit: "ssh.service", Print: TestFilterPrint.Matched, Journalctl: journalctl));
        var (failed, _, _) = Run(new TestFilterRequest("sshd", null, JournalUnit: "other.service", Journalctl: journalctl));

        Assert.True(exit == 0, error);
        Assert.Contains("Log:        journal:ssh.service", output, StringComparison.Ordinal);
        Assert.Contains("matched 192.0.2.40 [Disconnecting: Too many authentication failures (address by pid)]", output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NoInput, failed);
    }

    private static (int Exit, string Output, string Error) Run(TestFilterRequest request)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = TestFilterCommand.Run(request, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
