namespace Tarpit.Config;

/// <summary>
/// <c>[crowdsec]</c>: the agent on CrowdSec's Local API (LAPI). As a bouncer (<see cref="BouncerKey"/>) it turns the
/// fleet's decisions into redirects; as a machine (<see cref="MachineLogin"/>) it pushes the bans it decides. Null on
/// <see cref="ConfigFile.Crowdsec"/> when the table is absent: nothing changes then.
/// </summary>
/// <param name="LapiUrl">The LAPI's base URL, ending in '/': <c>http://127.0.0.1:8080/</c>.</param>
/// <param name="BouncerKey">The bouncer API key (<c>cscli bouncers add</c>); null: no bouncer.</param>
/// <param name="PullInterval">How often the decision stream is asked for changes.</param>
/// <param name="Origins">Decision origins that become redirects (<c>cscli</c>, <c>crowdsec</c>, <c>lists</c>, …); empty: every origin.</param>
/// <param name="ScenariosContaining">A decision becomes a redirect only when its scenario contains one of these; empty: all.</param>
/// <param name="Types">Decision types that become redirects; <c>["ban"]</c> by default (a captcha or throttle is not a ban).</param>
/// <param name="MachineLogin">The machine's login (<c>cscli machines add</c>); null: no watcher.</param>
/// <param name="MachinePassword">The machine's password; set when <see cref="MachineLogin"/> is.</param>
/// <param name="Push">Push the bans decided here as alerts (needs a machine).</param>
internal sealed record CrowdsecConfig(
    Uri LapiUrl,
    ConfigSecret? BouncerKey,
    TimeSpan PullInterval,
    IReadOnlyList<string> Origins,
    IReadOnlyList<string> ScenariosContaining,
    IReadOnlyList<string> Types,
    string? MachineLogin,
    ConfigSecret? MachinePassword,
    bool Push)
{
    /// <summary>The file <c>machine_login</c> and the password came from (<c>credentials_file</c>), or null.</summary>
    public string? CredentialsFile { get; init; }

    /// <summary>How often the whole decision set is pulled again instead of the changes (<c>resync_interval</c>).</summary>
    public TimeSpan ResyncInterval { get; init; } = CrowdsecSection.DefaultResyncInterval;

    public bool BouncerEnabled => BouncerKey is not null;

    public bool WatcherEnabled => MachineLogin is not null && MachinePassword is not null && Push;

    public bool Equals(CrowdsecConfig? other) =>
        other is not null
        && LapiUrl == other.LapiUrl
        && Equals(BouncerKey, other.BouncerKey)
        && PullInterval == other.PullInterval
        && ResyncInterval == other.ResyncInterval
        && Origins.SequenceEqual(other.Origins)
        && ScenariosContaining.SequenceEqual(other.ScenariosContaining)
        && Types.SequenceEqual(other.Types)
        && MachineLogin == other.MachineLogin
        && Equals(MachinePassword, other.MachinePassword)
        && Push == other.Push
        && CredentialsFile == other.CredentialsFile;

    public override int GetHashCode() => HashCode.Combine(LapiUrl, PullInterval, MachineLogin, Push);
}
