using Serilog;
using Tarpit.Config;
using Tarpit.Detection;
using Tarpit.Firewall;
using Tarpit.Geo;
using Tarpit.Store;
using Tarpit.Tarpits.Engine;

namespace Tarpit.Agent.Hosting;

/// <summary>
/// SIGHUP (systemd's <c>ExecReload</c>): reads <c>tarpit.toml</c> again and applies what changed to the running parts,
/// without dropping a held connection or a ban. An invalid file is reported like at start (<c>file:line:col: error:
/// …</c>) and the running configuration stays. Settings that only a restart applies (<see cref="ConfigChanges.RestartOnlyKeys"/>)
/// keep their running value, with a warning each. The steps, in order, so that a failure changes nothing:
/// <list type="number">
/// <item>read and validate the file; build the filters of the watches it starts or restarts (a broken custom
/// filter file refuses the reload);</item>
/// <item>tarpits: bind every new listen address (a failure refuses the reload), then close removed ones, swap the
/// settings of changed ones on their kept sockets, start new ones;</item>
/// <item>watches: stop the removed and changed ones, start the new ones (at the end of their log);</item>
/// <item>bans: the ban service decides with the new allowlists and ban times; the nft table is rendered again (allow
/// sets, redirect ports) in one batch that keeps every offender;</item>
/// <item>retention: the new retentions from the next pass on.</item>
/// </list>
/// One line then says what changed.
/// </summary>
internal sealed class ConfigReloader(
    ConfigFile running,
    BanStack stack,
    DetectionService detection,
    TarpitServer server,
    StoreRetention retention,
    ILogger log)
{
    /// <summary>The configuration in force (the file as last applied, restart-only settings at their start values).</summary>
    public ConfigFile Running { get; private set; } = running;

    /// <summary>One reload. Never throws for the file's or the system's sake: every refusal is logged and the old config stays.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var path = Running.SourcePath;
        var name = Path.GetFileName(path);
        ConfigFile file;
        ConfigChanges changes;
        DetectionService.PreparedWatches watches;
        try
        {
            file = ConfigLoader.Load(path);
            changes = ConfigChanges.Between(Running, file);
            watches = detection.Prepare(changes.Watches, changes.Effective);
        }
        catch (ConfigException ex)
        {
            foreach (var line in ex.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                HostingLog.ReloadDiagnostic(log, line);
            }

            HostingLog.ReloadRefused(log, name, "it is not valid");
            return;
        }

        foreach (var setting in changes.NeedRestart)
        {
            HostingLog.ReloadNeedsRestart(log, setting, name);
        }

        if (changes.IsEmpty)
        {
            HostingLog.ReloadUnchanged(log, name);
            return;
        }

        try
        {
            await server.ReloadAsync(changes.Tarpits, cancellationToken);
        }
        catch (OperatorException ex)
        {
            HostingLog.ReloadRefused(log, name, ex.Message);
            return;
        }

        await detection.ReloadAsync(watches, cancellationToken);
        var effective = changes.Effective;
        if (changes.FirewallChanged || changes.GeoAllowlistChanged)
        {
            stack.Bans.Reconfigure(effective.Firewall, new GeoAllowlist(effective.GeoIp, stack.Geo));
        }

        if (changes.FirewallChanged && stack.Firewall is NftFirewall nft)
        {
            nft.Reconfigure(effective.Firewall, effective.Tarpits);
            try
            {
                await nft.EnsureTableAsync(cancellationToken);
            }
            catch (FirewallException ex)
            {
                HostingLog.ReloadTableFailed(log, effective.Firewall.Table, ex.Message);
            }
        }

        if (changes.RetentionChanged)
        {
            retention.Reconfigure(effective.Agent.SessionsRetention, effective.Agent.BansRetention);
        }

        Running = effective;
        HostingLog.Reloaded(log, name, string.Join(", ", changes.Applied));
    }
}
