namespace Tarpit.Config;

/// <summary>
/// The one registry of filter vocabulary: the built-in filters a <c>[[watch]]</c> (or <c>test-filter</c>) may name,
/// the default one, and the filter modes. Detection builds a filter for every name here (a test holds the two to each
/// other); any other <c>filter</c> value is the path of a fail2ban-style filter file.
/// </summary>
internal static class FilterNames
{
    public const string Sshd = "sshd";
    public const string HttpProbe = "http-probe";

    /// <summary>fail2ban's <c>mode = normal</c>: failed logins and the refusals around them.</summary>
    public const string NormalMode = "normal";

    /// <summary>fail2ban's <c>ddos</c>: also connections that never try to log in (no banner, bad banner, preauth closes).</summary>
    public const string DdosMode = "ddos";

    /// <summary>fail2ban's <c>extra</c>: also failed negotiations, no authentication methods, preauth disconnects of named users.</summary>
    public const string ExtraMode = "extra";

    /// <summary>fail2ban's <c>aggressive</c>: ddos and extra together.</summary>
    public const string AggressiveMode = "aggressive";

    /// <summary>The decoy tarpits' signal: a direct connection to a <c>decoy = true</c> tarpit (the source of its bans).</summary>
    public const string Decoy = "decoy";

    /// <summary>The source of a ban by hand, and the name every source that is neither a watch nor a decoy reports under.</summary>
    public const string Manual = "manual";

    public const string Default = Sshd;

    public static IReadOnlyList<string> BuiltIn { get; } = [Sshd, HttpProbe];

    /// <summary>
    /// The ban reasons <c>[abuseipdb] report</c> may name: the built-in filters (a watch's bans report under its filter),
    /// the decoys, and bans by hand or through fail2ban.
    /// </summary>
    public static IReadOnlyList<string> Reportable { get; } = [.. BuiltIn, Decoy, Manual];

    /// <summary>Allowed <c>mode</c> values, the first being the default (fail2ban's sshd filter modes, in its order).</summary>
    public static IReadOnlyList<string> Modes { get; } = [NormalMode, DdosMode, ExtraMode, AggressiveMode];
}
