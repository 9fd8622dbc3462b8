using System.Globalization;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;
using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.Systemd;

/// <summary>The shipped unit stays hardened: <c>systemd-analyze security</c> rates the file itself, offline.</summary>
public sealed partial class UnitSecurityTests
{
    /// <summary>The exposure the unit must not exceed (issue 14, item 8; it was 4.3 before the hardening).</summary>
    private const double MaxExposure = 2.0;

    [SystemFact(false, "systemd-analyze")]
    public async Task The_unit_file_rates_an_overall_exposure_of_at_most_2_0_offline()
    {
        Prerequisites.Require(false, "systemd-analyze");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var unit = Path.Combine(RepoRoot(), "contrib", "systemd", "tarpit-agent.service");

        // --offline=true analyses the file as written (systemd 252+, Debian 12), without a running systemd or the binary.
        var result = await Cli.Wrap("systemd-analyze")
            .WithArguments(["security", "--offline=true", "--no-pager", unit])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(timeout.Token);

        var match = OverallExposure().Match(result.StandardOutput);
        Assert.True(match.Success, $"no overall exposure in the output (exit {result.ExitCode}):\n{result.StandardOutput}{result.StandardError}");
        var exposure = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(exposure <= MaxExposure, $"exposure {exposure} is above {MaxExposure}:\n{result.StandardOutput}");
    }

    [Fact]
    public void Reload_checks_the_file_then_sends_SIGHUP_to_the_main_process()
    {
        var unit = File.ReadAllLines(Path.Combine(RepoRoot(), "contrib", "systemd", "tarpit-agent.service"));

        var reloads = unit.Where(l => l.StartsWith("ExecReload=", StringComparison.Ordinal)).ToList();

        Assert.Equal(
            ["ExecReload=/usr/local/bin/tarpit-agent check --quiet --config /etc/tarpit/tarpit.toml", "ExecReload=/bin/kill -HUP $MAINPID"],
            reloads);
    }

    [Fact]
    public void The_unit_checks_quietly_before_it_starts_and_runs_the_run_verb_explicitly()
    {
        var unit = File.ReadAllLines(Path.Combine(RepoRoot(), "contrib", "systemd", "tarpit-agent.service"));

        Assert.Equal(
            ["ExecStartPre=/usr/local/bin/tarpit-agent check --quiet --config /etc/tarpit/tarpit.toml"],
            unit.Where(l => l.StartsWith("ExecStartPre=", StringComparison.Ordinal)));
        Assert.Equal(
            ["ExecStart=/usr/local/bin/tarpit-agent run --config /etc/tarpit/tarpit.toml"],
            unit.Where(l => l.StartsWith("ExecStart=", StringComparison.Ordinal)));
    }

    /// <summary>The repository root: the first directory above the test assembly holding Tarpit.sln.</summary>
    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tarpit.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Tarpit.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"Overall exposure level for \S+: (\d+\.\d+)")]
    private static partial Regex OverallExposure();
}
