using Serilog.Events;
using Tarpit.Config;

namespace Tarpit.Tests.Config;

public sealed class ReferenceConfigTests
{
    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Tarpit.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Tarpit.sln not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void The_repository_tarpit_toml_loads_without_diagnostics()
    {
        var path = Path.Combine(RepoRoot(), "tarpit.toml");

        var config = ConfigLoader.Load(path);

        Assert.Equal(path, config.SourcePath);
        Assert.Equal(["ssh", "http", "tls"], config.Tarpits.Select(t => t.Name));
        Assert.Equal([22, 80, 443], config.Tarpits.SelectMany(t => t.RedirectPorts));
        Assert.Equal(["[::]:2222", "[::]:8080", "[::]:8443"], config.Tarpits.Select(t => ListenSyntax.Format(t.Listen.Single())));
        Assert.Equal(Path.Combine(RepoRoot(), "state"), config.Agent.StateDir);
        Assert.Equal(LogEventLevel.Information, config.Agent.LogLevel);
        Assert.True(config.Firewall.Enabled);
        Assert.Equal("ssh.service", Assert.Single(config.Watches).JournalUnit);
        Assert.Null(config.GeoIp.CityDb);
        Assert.Null(config.GeoIp.AsnDb);
    }

    [Fact]
    public void A_live_start_of_the_reference_config_says_it_redirects_22_80_and_443_into_the_three_tarpits()
    {
        var config = ConfigLoader.Load(Path.Combine(RepoRoot(), "tarpit.toml"));

        var summary = Tarpit.Firewall.RedirectSummary.Describe(config.Tarpits);

        Assert.Equal("22 → 2222 (ssh), 80 → 8080 (http), 443 → 8443 (tls)", summary);
    }

    /// <summary>Every key but the ssh and http banners, which the reference sets to "auto" while an absent one stays the built-in literal.</summary>
    [Fact]
    public void The_repository_tarpit_toml_sets_every_key_to_its_default_and_the_banners_to_auto()
    {
        var path = Path.Combine(RepoRoot(), "tarpit.toml");
        var config = ConfigLoader.Load(path);

        var minimal = ConfigLoader.Parse(
            """
            [[tarpit]]
            name = "ssh"
            protocol = "ssh"
            listen = ["[::]:2222"]
            banner = "auto"

            [[tarpit]]
            name = "http"
            protocol = "http"
            listen = ["[::]:8080"]
            banner = "auto"

            [[tarpit]]
            name = "tls"
            protocol = "tls"
            listen = ["[::]:8443"]

            [[watch]]
            name = "sshd"
            mode = "normal"
            journal_unit = "ssh.service"
            """,
            path);

        Assert.Equal(minimal, config);
    }

    [Fact]
    public void The_repository_tarpit_toml_names_every_key_of_the_schema()
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot(), "tarpit.toml"));

        var keys = AgentSection.Keys.Concat(FirewallSection.Keys).Concat(TarpitSection.Keys)
            .Concat(WatchSection.Keys).Concat(GeoIpSection.Keys).Concat(MetricsSection.Keys).Concat(AbuseIpDbSection.Keys).Concat(CrowdsecSection.Keys);

        Assert.All(keys, key => Assert.Matches($"(?m)^#? ?{key} = ", text));
    }
}
