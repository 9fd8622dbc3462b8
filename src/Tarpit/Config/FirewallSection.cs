using System.Text.RegularExpressions;
using Tomlyn.Syntax;

namespace Tarpit.Config;

/// <summary>Reads <c>[firewall]</c>.</summary>
internal static partial class FirewallSection
{
    public static readonly IReadOnlyList<string> Keys =
    [
        "enabled", "nft", "table", "ban_time", "ban_time_factor", "max_ban_time", "allow", "keep_on_exit", "cut_established",
    ];

    /// <summary>An nft identifier the agent can always write unquoted in a ruleset (nft(8) IDENTIFIER, kept short).</summary>
    public const string TablePattern = "[A-Za-z][A-Za-z0-9_]{0,31}";

    /// <summary>Escalation beyond this factor per offence reaches <c>max_ban_time</c> at once; it is a typo, not a policy.</summary>
    public const double MaxBanTimeFactor = 1000;

    public static FirewallConfig Read(TomlTableView? table)
    {
        var defaults = FirewallConfig.Defaults;
        if (table is null)
        {
            return defaults;
        }

        var enabled = table.GetBool("enabled", defaults.Enabled);
        var nft = table.GetString("nft", out var nftNode) ?? defaults.Nft;
        if (nft.Length == 0 && nftNode is not null)
        {
            table.Diagnostics.Add(nftNode, "'nft' must not be empty: found \"\", expected the nft command name or path, e.g. \"nft\" or \"/usr/sbin/nft\"");
            nft = defaults.Nft;
        }

        var tableName = table.GetString("table", out var tableNode) ?? defaults.Table;
        if (tableNode is not null && !TableRegex().IsMatch(tableName))
        {
            table.Diagnostics.Add(tableNode, $"'table' is not a valid nft table name: found {TomlText.Quote(tableName)}, expected a letter then up to 31 letters, digits or '_' ({TablePattern})");
            tableName = defaults.Table;
        }

        var banTime = table.GetDuration("ban_time", defaults.BanTime);
        var factor = table.GetDouble("ban_time_factor", defaults.BanTimeFactor, f => f is >= 1.0 and <= MaxBanTimeFactor, $"1.0-{TomlText.Float(MaxBanTimeFactor)}");
        var maxBanTime = table.GetDuration("max_ban_time", defaults.MaxBanTime);
        if (maxBanTime < banTime)
        {
            var node = (SyntaxNode?)table.Take("max_ban_time") ?? (SyntaxNode?)table.Take("ban_time");
            var position = node?.Span.Start ?? table.Header;
            table.Diagnostics.Add(position, $"'max_ban_time' ({DurationSyntax.Format(maxBanTime)}) is shorter than 'ban_time' ({DurationSyntax.Format(banTime)}); it must be at least as long");
        }

        var allow = table.GetNetworks("allow", defaults.Allow);
        var keepOnExit = table.GetBool("keep_on_exit", defaults.KeepOnExit);
        var cutEstablished = table.GetBool("cut_established", defaults.CutEstablished);
        table.ReportUnknownKeys(Keys);
        return new FirewallConfig(enabled, nft, tableName, banTime, factor, maxBanTime, allow, keepOnExit, cutEstablished);
    }

    [GeneratedRegex("^" + TablePattern + @"\z")]
    private static partial Regex TableRegex();
}
