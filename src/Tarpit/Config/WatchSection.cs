using Tomlyn.Syntax;

namespace Tarpit.Config;

/// <summary>Reads one <c>[[watch]]</c>: a log source (file XOR journal unit), its filter and window.</summary>
internal static class WatchSection
{
    public static readonly IReadOnlyList<string> Keys = ["name", "filter", "mode", "path", "journal_unit", "max_retry", "find_time"];

    public const int DefaultMaxRetry = 5;
    public const int MaxMaxRetry = 1000;
    public static readonly TimeSpan DefaultFindTime = TimeSpan.FromMinutes(10);

    public static (WatchConfig Config, TextPosition NamePosition) Read(TomlTableView table, string configDir)
    {
        var name = TarpitSection.ReadName(table, FilterNames.Default, out var namePosition);
        var filter = ReadFilter(table, configDir);
        var mode = table.GetString("mode", out var modeNode);
        if (mode is not null && modeNode is not null && !FilterNames.Modes.Contains(mode))
        {
            table.Diagnostics.Add(modeNode, $"unknown watch mode {TomlText.Quote(mode)}; allowed: {string.Join(", ", FilterNames.Modes)} (or leave it out)");
            mode = null;
        }

        var path = table.GetString("path", out var pathNode);
        var unit = table.GetString("journal_unit", out var unitNode);
        if (pathNode is not null && unitNode is not null)
        {
            table.Diagnostics.Add(unitNode, "[[watch]] has both 'path' and 'journal_unit'; give exactly one: a log file to follow or a systemd unit whose journal to read");
        }
        else if (pathNode is null && unitNode is null)
        {
            table.Diagnostics.Add(table.Header, "[[watch]] has neither 'path' nor 'journal_unit'; give exactly one, e.g. journal_unit = \"ssh.service\" or path = \"/var/log/auth.log\"");
        }

        if (path is { Length: 0 } && pathNode is not null)
        {
            table.Diagnostics.Add(pathNode, "'path' must not be empty; expected a log file like \"/var/log/auth.log\"");
        }

        if (unit is { Length: 0 } && unitNode is not null)
        {
            table.Diagnostics.Add(unitNode, "'journal_unit' must not be empty; expected a systemd unit like \"ssh.service\"");
        }

        var fullPath = string.IsNullOrEmpty(path) ? null : Path.GetFullPath(path, configDir);
        var journalUnit = string.IsNullOrEmpty(unit) ? null : unit;
        var maxRetry = table.GetInt("max_retry", DefaultMaxRetry, 1, MaxMaxRetry);
        var findTime = table.GetDuration("find_time", DefaultFindTime);
        table.ReportUnknownKeys(Keys);
        return (new WatchConfig(name, filter, mode, fullPath, journalUnit, maxRetry, findTime), namePosition);
    }

    private static string ReadFilter(TomlTableView table, string configDir)
    {
        var text = table.GetString("filter", out var node);
        if (text is null || node is null)
        {
            return FilterNames.Default;
        }

        if (FilterNames.BuiltIn.Contains(text))
        {
            return text;
        }

        if (text.Length == 0)
        {
            table.Diagnostics.Add(node, $"'filter' must not be empty; expected a built-in filter ({string.Join(", ", FilterNames.BuiltIn)}) or the path of a filter file");
            return FilterNames.Default;
        }

        var full = Path.GetFullPath(text, configDir);
        if (!File.Exists(full))
        {
            table.Diagnostics.Add(node, $"'filter' {TomlText.Quote(text)} is neither a built-in filter ({string.Join(", ", FilterNames.BuiltIn)}) nor an existing file (looked for {TomlText.Quote(full)})");
            return FilterNames.Default;
        }

        return full;
    }
}
