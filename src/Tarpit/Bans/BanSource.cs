namespace Tarpit.Bans;

/// <summary>The <c>--source</c> of a manual ban: a short name like <c>manual</c>, <c>fail2ban</c> or a jail name.</summary>
internal static class BanSource
{
    /// <summary>Long enough for a fail2ban jail name (they are short identifiers), short enough for a table column.</summary>
    public const int MaxLength = 32;

    public const string Manual = Config.FilterNames.Manual;

    /// <summary>The source of every ban the fleet decided: <c>crowdsec:ORIGIN</c> (<c>crowdsec:cscli</c>, <c>crowdsec:crowdsec</c>).</summary>
    public const string RemotePrefix = "crowdsec:";

    /// <summary>True for a ban stored from a fleet decision: only the fleet lifts it, and it is never pushed back.</summary>
    public static bool IsRemote(string source) => source.StartsWith(RemotePrefix, StringComparison.Ordinal);

    public static bool IsValid(string? text) =>
        text is { Length: > 0 and <= MaxLength } && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
