using Serilog.Events;

namespace Tarpit.Config;

/// <summary>Reads <c>[agent]</c>.</summary>
internal static class AgentSection
{
    public static readonly IReadOnlyList<string> Keys = ["state_dir", "log_file", "log_level", "sessions_retention", "bans_retention"];

    /// <summary>The spellings of <c>log_level</c>, in order of verbosity, and the Serilog levels they mean.</summary>
    public static readonly IReadOnlyList<(string Name, LogEventLevel Level)> LogLevels =
    [
        ("verbose", LogEventLevel.Verbose),
        ("debug", LogEventLevel.Debug),
        ("information", LogEventLevel.Information),
        ("warning", LogEventLevel.Warning),
        ("error", LogEventLevel.Error),
        ("fatal", LogEventLevel.Fatal),
    ];

    public static AgentConfig Read(TomlTableView? table, string configDir)
    {
        var defaults = AgentConfig.Defaults(configDir);
        if (table is null)
        {
            return defaults;
        }

        var stateDir = defaults.StateDir;
        var stateText = table.GetString("state_dir", out var stateNode);
        if (stateText is not null && stateNode is not null)
        {
            if (stateText.Length == 0)
            {
                table.Diagnostics.Add(stateNode, "'state_dir' must not be empty: found \"\", expected a folder path like \"state\" or \"/var/lib/tarpit\"");
            }
            else
            {
                stateDir = Path.GetFullPath(stateText, configDir);
            }
        }

        var logText = table.GetString("log_file", out _);
        var logFile = logText switch
        {
            null => defaults.LogFile,
            "" => null,
            _ => Path.GetFullPath(logText, configDir),
        };

        var level = defaults.LogLevel;
        var levelText = table.GetString("log_level", out var levelNode);
        if (levelText is not null && levelNode is not null)
        {
            var match = LogLevels.FirstOrDefault(l => l.Name == levelText);
            if (match.Name is null)
            {
                table.Diagnostics.Add(levelNode, $"unknown log_level {TomlText.Quote(levelText)}; allowed: {string.Join(", ", LogLevels.Select(l => l.Name))}");
            }
            else
            {
                level = match.Level;
            }
        }

        var sessionsRetention = Retention(table, "sessions_retention", AgentConfig.DefaultSessionsRetention);
        var bansRetention = Retention(table, "bans_retention", AgentConfig.DefaultBansRetention);
        table.ReportUnknownKeys(Keys);
        return new AgentConfig(stateDir, logFile, level) { SessionsRetention = sessionsRetention, BansRetention = bansRetention };
    }

    /// <summary>A retention: a duration of <see cref="AgentConfig.MinRetention"/> to <see cref="DurationSyntax.Max"/>.</summary>
    private static TimeSpan Retention(TomlTableView table, string key, TimeSpan fallback)
    {
        var value = table.GetDuration(key, fallback);
        if (value < AgentConfig.MinRetention && table.Take(key) is { } node)
        {
            table.Diagnostics.Add(node, $"'{key}' is {DurationSyntax.Format(value)}, shorter than {DurationSyntax.Format(AgentConfig.MinRetention)}; allowed: {DurationSyntax.Format(AgentConfig.MinRetention)}-{DurationSyntax.Format(DurationSyntax.Max)}");
            return fallback;
        }

        return value;
    }

    public static string LevelName(LogEventLevel level) => LogLevels.First(l => l.Level == level).Name;
}
