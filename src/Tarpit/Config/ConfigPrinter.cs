using System.Globalization;
using System.Text;
using Tarpit.Net;

namespace Tarpit.Config;

/// <summary>
/// The effective config as TOML: every default filled in and every path absolute, so what <c>tarpit-agent check</c>
/// prints can be pasted back into a file and loads to the same config.
/// </summary>
internal static class ConfigPrinter
{
    public static string Render(ConfigFile config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var toml = new StringBuilder();
        toml.Append("# Effective configuration of ").Append(config.SourcePath).Append(": defaults filled in, paths absolute.\n");

        toml.Append("\n[agent]\n");
        Key(toml, "state_dir", TomlText.Quote(config.Agent.StateDir));
        Key(toml, "log_file", TomlText.Quote(config.Agent.LogFile ?? string.Empty));
        Key(toml, "log_level", TomlText.Quote(AgentSection.LevelName(config.Agent.LogLevel)));
        Key(toml, "sessions_retention", TomlText.Quote(DurationSyntax.Format(config.Agent.SessionsRetention)));
        Key(toml, "bans_retention", TomlText.Quote(DurationSyntax.Format(config.Agent.BansRetention)));

        var firewall = config.Firewall;
        toml.Append("\n[firewall]\n");
        Key(toml, "enabled", Bool(firewall.Enabled));
        Key(toml, "nft", TomlText.Quote(firewall.Nft));
        Key(toml, "table", TomlText.Quote(firewall.Table));
        Key(toml, "ban_time", Duration(firewall.BanTime));
        Key(toml, "ban_time_factor", TomlText.Float(firewall.BanTimeFactor));
        Key(toml, "max_ban_time", Duration(firewall.MaxBanTime));
        Key(toml, "allow", Array(firewall.Allow.Select(n => TomlText.Quote(NetworkText.Format(n)))));
        Key(toml, "keep_on_exit", Bool(firewall.KeepOnExit));
        Key(toml, "cut_established", Bool(firewall.CutEstablished));

        foreach (var tarpit in config.Tarpits)
        {
            RenderTarpit(toml, tarpit);
        }

        foreach (var watch in config.Watches)
        {
            RenderWatch(toml, watch);
        }

        var geoIp = config.GeoIp;
        toml.Append("\n[geoip]\n");
        Key(toml, "city_db", TomlText.Quote(geoIp.CityDb ?? string.Empty));
        Key(toml, "asn_db", TomlText.Quote(geoIp.AsnDb ?? string.Empty));
        Key(toml, "allow_asns", Array(geoIp.AllowAsns.Select(a => a.ToString(CultureInfo.InvariantCulture))));
        Key(toml, "allow_countries", Array(geoIp.AllowCountries.Select(TomlText.Quote)));
        if (config.Metrics.Enabled)
        {
            toml.Append("\n[metrics]\n");
            Key(toml, "listen", TomlText.Quote(config.Metrics.Listen));
        }

        if (config.AbuseIpDb is { Enabled: true } abuse)
        {
            toml.Append("\n[abuseipdb]\n");
            Key(toml, "api_key_file", TomlText.Quote(abuse.ApiKeyFile));
            Key(toml, "api_url", TomlText.Quote(abuse.ApiUrl.ToString()));
            Key(toml, "min_interval_per_ip", Duration(abuse.MinIntervalPerIp));
            Key(toml, "daily_budget", abuse.DailyBudget.ToString(CultureInfo.InvariantCulture));
            Key(toml, "report", Array(abuse.Report.Select(TomlText.Quote)));
        }

        if (config.Crowdsec is { } crowdsec)
        {
            RenderCrowdsec(toml, crowdsec);
        }

        return toml.ToString();
    }

    /// <summary>Secrets are never printed: a file's path is, an inline secret is a comment saying it is set.</summary>
    private static void RenderCrowdsec(StringBuilder toml, CrowdsecConfig crowdsec)
    {
        toml.Append("\n[crowdsec]\n");
        Key(toml, "lapi_url", TomlText.Quote(crowdsec.LapiUrl.ToString()));
        Secret(toml, "bouncer_key", crowdsec.BouncerKey);
        Key(toml, "pull_interval", Duration(crowdsec.PullInterval));
        Key(toml, "resync_interval", Duration(crowdsec.ResyncInterval));
        Key(toml, "origins", Array(crowdsec.Origins.Select(TomlText.Quote)));
        Key(toml, "scenarios_containing", Array(crowdsec.ScenariosContaining.Select(TomlText.Quote)));
        Key(toml, "types", Array(crowdsec.Types.Select(TomlText.Quote)));
        if (crowdsec.CredentialsFile is { } credentials)
        {
            Key(toml, "credentials_file", TomlText.Quote(credentials));
        }
        else
        {
            Key(toml, "machine_login", TomlText.Quote(crowdsec.MachineLogin ?? string.Empty));
            Secret(toml, "machine_password", crowdsec.MachinePassword);
        }

        Key(toml, "push", Bool(crowdsec.Push));
    }

    private static void Secret(StringBuilder toml, string key, ConfigSecret? secret)
    {
        if (secret is null)
        {
            Key(toml, key, "\"\"");
        }
        else if (secret.File is { } file)
        {
            Key(toml, key + "_file", TomlText.Quote(file));
        }
        else
        {
            toml.Append("# ").Append(key).Append(" is set in the file; not shown\n");
        }
    }

    private static void RenderTarpit(StringBuilder toml, TarpitConfig tarpit)
    {
        toml.Append("\n[[tarpit]]\n");
        Key(toml, "name", TomlText.Quote(tarpit.Name));
        Key(toml, "protocol", TomlText.Quote(ModeCatalog.Name(tarpit.Protocol)));
        Key(toml, "mode", TomlText.Quote(tarpit.Mode));
        Key(toml, "listen", Array(tarpit.Listen.Select(e => TomlText.Quote(ListenSyntax.Format(e)))));
        Key(toml, "redirect_ports", Array(tarpit.RedirectPorts.Select(p => p.ToString(CultureInfo.InvariantCulture))));
        Key(toml, "decoy", Bool(tarpit.Decoy));
        Key(toml, "verify_client", Bool(tarpit.VerifyClient));
        Key(toml, "probe_delay", Duration(tarpit.ProbeDelay));
        Key(toml, "interval", Duration(tarpit.Interval));
        Key(toml, "jitter", TomlText.Float(tarpit.Jitter));
        Key(toml, "drip_bytes", tarpit.DripBytes.ToString(CultureInfo.InvariantCulture));
        Key(toml, "max_hold", Duration(tarpit.MaxHold));
        Key(toml, "max_clients", tarpit.MaxClients.ToString(CultureInfo.InvariantCulture));
        Key(toml, "max_clients_per_ip", tarpit.MaxClientsPerIp.ToString(CultureInfo.InvariantCulture));
        if (tarpit.MaxClientsPerV6Prefix > 0)
        {
            Key(toml, "max_clients_per_v6_64", tarpit.MaxClientsPerV6Prefix.ToString(CultureInfo.InvariantCulture));
        }
        Key(toml, "trusted_proxies", Array(tarpit.TrustedProxies.Select(n => TomlText.Quote(NetworkText.Format(n)))));
        Key(toml, "proxy_protocol", Bool(tarpit.ProxyProtocol));
        if (tarpit.Banner is not null)
        {
            Key(toml, "banner", TomlText.Quote(tarpit.Banner));
        }

        if (tarpit.SshHostKeys is { } hostKeys)
        {
            Key(toml, "host_keys", TomlText.Quote(hostKeys.Source));
            if (hostKeys.Source == SshHostKeysConfig.Auto)
            {
                Key(toml, "host_key_dir", TomlText.Quote(hostKeys.Directory));
            }
        }

        if (tarpit.Http is { } http)
        {
            Key(toml, "content_length", TomlText.Quote(SizeSyntax.Format(http.ContentLength)));
            Key(toml, "bomb_size", TomlText.Quote(SizeSyntax.Format(http.BombSize)));
            Key(toml, "realm", TomlText.Quote(http.Realm));
        }
    }

    private static void RenderWatch(StringBuilder toml, WatchConfig watch)
    {
        toml.Append("\n[[watch]]\n");
        Key(toml, "name", TomlText.Quote(watch.Name));
        Key(toml, "filter", TomlText.Quote(watch.Filter));
        if (watch.Mode is not null)
        {
            Key(toml, "mode", TomlText.Quote(watch.Mode));
        }

        if (watch.Path is not null)
        {
            Key(toml, "path", TomlText.Quote(watch.Path));
        }

        if (watch.JournalUnit is not null)
        {
            Key(toml, "journal_unit", TomlText.Quote(watch.JournalUnit));
        }

        Key(toml, "max_retry", watch.MaxRetry.ToString(CultureInfo.InvariantCulture));
        Key(toml, "find_time", Duration(watch.FindTime));
    }

    private static void Key(StringBuilder toml, string key, string value) => toml.Append(key).Append(" = ").Append(value).Append('\n');

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Duration(TimeSpan value) => TomlText.Quote(DurationSyntax.Format(value));

    private static string Array(IEnumerable<string> items) => "[" + string.Join(", ", items) + "]";
}
