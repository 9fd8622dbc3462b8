using System.CommandLine;
using Serilog;
using Tarpit.Agent;
using Tarpit.Agent.Hosting;
using Tarpit.Config;
using Tarpit.Firewall;
using Tarpit.Tests.Store;

namespace Tarpit.Tests.Hosting;

/// <summary>The one composition root: the daemon and the verbs get the same ban stack, and whoever builds it closes it.</summary>
public sealed class BanStackTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("tarpit-root-");
    private readonly ILogger _log = new LoggerConfiguration().CreateLogger();

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Daemon_and_verbs_get_the_same_observe_only_stack_when_nft_is_not_usable()
    {
        var config = Config("enabled = true\nnft = \"/nonexistent/nft\"");

        using var daemon = BanStack.Build(config, _log, TimeProvider.System, BanStack.DaemonGeoIp);
        var runtime = daemon.ForDaemon();
        using var verbs = AdminSession.Open(config, _log, TimeProvider.System);

        Assert.IsType<ObservingFirewall>(daemon.Firewall);
        Assert.False(daemon.Availability.Available);
        Assert.Contains("'/nonexistent/nft' was not found", daemon.Availability.Reason, StringComparison.Ordinal);
        Assert.Equal(daemon.Availability, runtime.Availability);
        Assert.Equal(daemon.Availability, verbs.Availability);
        Assert.False(verbs.Observing);
        var refused = Assert.Throws<OperatorException>(verbs.CheckFirewall);
        Assert.Equal(ExitCodes.Failure, refused.ExitCode);
    }

    [Fact]
    public void The_daemon_watches_the_geoip_directories_and_a_verb_does_not()
    {
        Assert.True(BanStack.DaemonGeoIp.WatchDirectories);
        Assert.False(BanStack.VerbGeoIp.WatchDirectories);
        Assert.Equal(BanStack.DaemonGeoIp with { WatchDirectories = false }, BanStack.VerbGeoIp);
    }

    [Fact]
    public void Disposing_the_stack_closes_the_store_it_opened()
    {
        var config = Config("enabled = false");
        var stack = BanStack.Build(config, _log, TimeProvider.System, BanStack.DaemonGeoIp);
        var store = stack.Store;
        Assert.NotEmpty(OpenFiles.Under(config.Agent.StateDir));

        stack.Dispose();

        Assert.True(store.IsDisposed);
        Assert.Empty(OpenFiles.Under(config.Agent.StateDir));
    }

    [Fact]
    public async Task A_verb_leaves_no_database_file_open_when_it_ends()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var config = Config("enabled = false");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var banned = await AgentCli.InvokeAsync(["ban", "192.0.2.7", "--config", config.SourcePath], new InvocationConfiguration { Output = output, Error = error }, timeout.Token);
        var listed = await AgentCli.InvokeAsync(["list", "--json", "--config", config.SourcePath], new InvocationConfiguration { Output = output, Error = error }, timeout.Token);

        Assert.True((banned, listed) == (0, 0), error.ToString());
        Assert.Contains("192.0.2.7", output.ToString(), StringComparison.Ordinal);
        Assert.Empty(OpenFiles.Under(config.Agent.StateDir));
    }

    [Fact]
    public void With_abuseipdb_the_ban_service_tells_the_outbox_of_new_bans_except_under_observe()
    {
        var key = Path.Combine(_dir.FullName, "abuseipdb.key");
        File.WriteAllText(key, "k\n");
        var config = Config($"enabled = false\n[abuseipdb]\napi_key_file = \"{key}\"");

        using var daemon = BanStack.Build(config, _log, TimeProvider.System, BanStack.DaemonGeoIp);
        using var observing = BanStack.Build(config, _log, TimeProvider.System, BanStack.DaemonGeoIp, observe: true);
        using var without = BanStack.Build(Config("enabled = false"), _log, TimeProvider.System, BanStack.DaemonGeoIp);

        Assert.NotNull(daemon.Outbox);
        Assert.Same(daemon.Outbox, daemon.Bans.Outbox);
        Assert.Null(observing.Outbox);
        Assert.Null(observing.Bans.Outbox);
        Assert.Null(without.Bans.Outbox);
    }

    private ConfigFile Config(string firewall)
    {
        var path = Path.Combine(_dir.FullName, "tarpit.toml");
        File.WriteAllText(path, $"[agent]\nstate_dir = \"state\"\n[firewall]\n{firewall}\n");
        return ConfigLoader.Load(path);
    }
}
