using Serilog.Events;

namespace Tarpit.Config;

/// <summary>Reads <c>[agent]</c>.</summary>
internal static class AgentSection
{
    public static readonly IReadOnlyList<string> Keys = ["state_dir", "log_file", "log_level"];

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

        table.ReportUnknownKeys(Keys);
        return new AgentConfig(stateDir, logFile, level);
    }

    public static string LevelName(LogEventLevel level) => LogLevels.First(l => l.Level == level).Name;
}
