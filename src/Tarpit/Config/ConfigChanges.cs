using System.Globalization;

namespace Tarpit.Config;

/// <summary>
/// What a reload (SIGHUP) changes between the running config and the file as it reads now, and what it may not change
/// while the agent runs. <see cref="Effective"/> is the new file with every restart-only setting kept at its running
/// value, so nothing is half-applied: the agent warns about those (<see cref="NeedRestart"/>) and applies the rest.
/// </summary>
internal sealed record ConfigChanges(
    ConfigFile Effective,
    IReadOnlyList<string> NeedRestart,
    IReadOnlyList<string> Applied,
    IReadOnlyList<TarpitChange> Tarpits,
    IReadOnlyList<WatchChange> Watches)
{
    /// <summary>
    /// The settings a running agent keeps until it is restarted, by the key that sets them: the store, the event file
    /// and the log level are opened once; the table name, nft and <c>enabled</c> decide which firewall the agent drives
    /// (a renamed table would leave the old one's redirects behind); <c>keep_on_exit</c> is the firewall loop's; the
    /// GeoIP database paths are opened once (a database replaced at the same path is reloaded by itself); the metrics
    /// endpoint is bound once at start (its instruments are wired into the parts then); the AbuseIPDB reporter reads its
    /// key and settings once at start; <c>[crowdsec]</c> as a whole (its LAPI client, bouncer and watcher are built once
    /// at start).
    /// </summary>
    public static readonly IReadOnlyList<string> RestartOnlyKeys =
    [
        "agent.state_dir", "agent.log_file", "agent.log_level", "firewall.enabled", "firewall.nft", "firewall.table",
        "firewall.keep_on_exit", "geoip.city_db", "geoip.asn_db", "metrics.listen", "abuseipdb", "crowdsec",
    ];

    /// <summary>True when the reload changes nothing that runs (restart-only changes aside).</summary>
    public bool IsEmpty => Applied.Count == 0;

    /// <summary>True when <c>[firewall]</c> (allowlist, ban times) or the redirect ports changed: the ban service and the nft table follow.</summary>
    public bool FirewallChanged { get; init; }

    /// <summary>True when <c>geoip.allow_asns</c> or <c>allow_countries</c> changed.</summary>
    public bool GeoAllowlistChanged { get; init; }

    /// <summary>True when a retention changed.</summary>
    public bool RetentionChanged { get; init; }

    public static ConfigChanges Between(ConfigFile running, ConfigFile file)
    {
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(file);
        var restart = new List<string>();
        var applied = new List<string>();
        var agent = running.Agent with { SessionsRetention = file.Agent.SessionsRetention, BansRetention = file.Agent.BansRetention };
        Keep(restart, "agent.state_dir", running.Agent.StateDir, file.Agent.StateDir);
        Keep(restart, "agent.log_file", running.Agent.LogFile ?? "", file.Agent.LogFile ?? "");
        Keep(restart, "agent.log_level", AgentSection.LevelName(running.Agent.LogLevel), AgentSection.LevelName(file.Agent.LogLevel));
        var retention = Changed(applied, "sessions_retention", running.Agent.SessionsRetention, file.Agent.SessionsRetention)
            | Changed(applied, "bans_retention", running.Agent.BansRetention, file.Agent.BansRetention);

        var (old, now) = (running.Firewall, file.Firewall);
        Keep(restart, "firewall.enabled", Flag(old.Enabled), Flag(now.Enabled));
        Keep(restart, "firewall.nft", old.Nft, now.Nft);
        Keep(restart, "firewall.table", old.Table, now.Table);
        Keep(restart, "firewall.keep_on_exit", Flag(old.KeepOnExit), Flag(now.KeepOnExit));
        var firewall = now with { Enabled = old.Enabled, Nft = old.Nft, Table = old.Table, KeepOnExit = old.KeepOnExit };
        var firewallChanged = firewall != old;
        if (!old.Allow.SequenceEqual(now.Allow))
        {
            applied.Add(string.Create(CultureInfo.InvariantCulture, $"allowlist {old.Allow.Count} → {now.Allow.Count} entries"));
        }

        Changed(applied, "ban_time", old.BanTime, now.BanTime);
        if (!old.BanTimeFactor.Equals(now.BanTimeFactor))
        {
            applied.Add($"ban_time_factor {TomlText.Float(old.BanTimeFactor)} → {TomlText.Float(now.BanTimeFactor)}");
        }

        Changed(applied, "max_ban_time", old.MaxBanTime, now.MaxBanTime);
        if (old.CutEstablished != now.CutEstablished)
        {
            applied.Add($"cut_established {Flag(old.CutEstablished)} → {Flag(now.CutEstablished)}");
        }

        var (oldGeo, newGeo) = (running.GeoIp, file.GeoIp);
        Keep(restart, "geoip.city_db", oldGeo.CityDb ?? "", newGeo.CityDb ?? "");
        Keep(restart, "geoip.asn_db", oldGeo.AsnDb ?? "", newGeo.AsnDb ?? "");
        var geoIp = newGeo with { CityDb = oldGeo.CityDb, AsnDb = oldGeo.AsnDb };
        var geoAllowChanged = geoIp != oldGeo;
        if (geoAllowChanged)
        {
            applied.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"geoip allowlists {oldGeo.AllowAsns.Count + oldGeo.AllowCountries.Count} → {newGeo.AllowAsns.Count + newGeo.AllowCountries.Count} entries"));
        }

        var tarpits = TarpitChange.Between(running.Tarpits, file.Tarpits);
        applied.AddRange(tarpits.Select(t => t.Describe()));
        var watches = WatchChange.Between(running.Watches, file.Watches);
        applied.AddRange(watches.Select(w => w.Describe()));

        // The redirect rules are rendered from the tarpits' listen ports and redirect_ports.
        var portsChanged = !RedirectsOf(running.Tarpits).SequenceEqual(RedirectsOf(file.Tarpits));
        Keep(restart, "metrics.listen", running.Metrics.Listen, file.Metrics.Listen);
        Keep(restart, "abuseipdb", running.AbuseIpDb.Describe(), file.AbuseIpDb.Describe());
        if (running.Crowdsec != file.Crowdsec)
        {
            restart.Add(running.Crowdsec is null ? "[crowdsec] added" : file.Crowdsec is null ? "[crowdsec] removed" : "[crowdsec] changed");
        }

        var effective = file with { Agent = agent, Firewall = firewall, GeoIp = geoIp, Metrics = running.Metrics, AbuseIpDb = running.AbuseIpDb, Crowdsec = running.Crowdsec };
        return new ConfigChanges(effective, restart, applied, tarpits, watches)
        {
            FirewallChanged = firewallChanged || portsChanged,
            GeoAllowlistChanged = geoAllowChanged,
            RetentionChanged = retention,
        };
    }

    private static IEnumerable<(int Port, int Listen)> RedirectsOf(IReadOnlyList<TarpitConfig> tarpits) =>
        tarpits.Where(t => t.Listen.Count > 0).SelectMany(t => t.RedirectPorts.Select(p => (p, t.Listen[0].Port)));

    private static void Keep(List<string> restart, string key, string running, string file)
    {
        if (running != file)
        {
            restart.Add($"{key} {Shown(running)} → {Shown(file)}");
        }
    }

    private static bool Changed(List<string> applied, string key, TimeSpan running, TimeSpan file)
    {
        if (running == file)
        {
            return false;
        }

        applied.Add($"{key} {DurationSyntax.Format(running)} → {DurationSyntax.Format(file)}");
        return true;
    }

    private static string Shown(string value) => value.Length == 0 ? "\"\"" : value;

    private static string Flag(bool value) => value ? "true" : "false";
}
