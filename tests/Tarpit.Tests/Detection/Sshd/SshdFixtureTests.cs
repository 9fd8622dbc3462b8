namespace Tarpit.Tests.Detection.Sshd;

/// <summary>
/// The recordings of a real sshd (Debian's OpenSSH 9.2, through syslog) that tests/Tarpit.SystemTests' SshdCorpusTests
/// made, judged as they were there: in every mode the attacker is charged, the admin never, every expected class found.
/// Regenerate with <c>TARPIT_SSHD_FIXTURES=tests/Tarpit.Tests/Detection/Sshd/Fixtures</c> and that system test.
/// </summary>
public sealed class SshdFixtureTests
{
    public static TheoryData<string> Scenarios => [.. SshdCorpus.Expected.Keys];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void A_real_sshds_recording_charges_the_attacker_and_never_the_admin(string scenario)
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Detection", "Sshd", "Fixtures", scenario + ".log"));

        SshdCorpus.AssertJudged(scenario, lines);
    }

    [Fact]
    public void The_admins_verbose_login_after_four_wrong_keys_is_in_the_recording_and_charges_nobody()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Detection", "Sshd", "Fixtures", "verbose-allow-deny-users.log"));

        Assert.Equal(4, lines.Count(l => l.Contains("Failed publickey for root from 198.51.100.2", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains("Accepted publickey for root from 198.51.100.2", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Invalid user test from 198.51.100.2 port 22 ssh2 from 192.0.2.2", StringComparison.Ordinal));
    }
}
