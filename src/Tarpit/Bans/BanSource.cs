namespace Tarpit.Bans;

/// <summary>The <c>--source</c> of a manual ban: a short name like <c>manual</c>, <c>fail2ban</c> or a jail name.</summary>
internal static class BanSource
{
    /// <summary>Long enough for a fail2ban jail name (they are short identifiers), short enough for a table column.</summary>
    public const int MaxLength = 32;

    public const string Manual = Config.FilterNames.Manual;

    public static bool IsValid(string? text) =>
        text is { Length: > 0 and <= MaxLength } && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
