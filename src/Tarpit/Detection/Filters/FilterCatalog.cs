using Tarpit.Config;

namespace Tarpit.Detection.Filters;

/// <summary>Turns a watch's <c>filter</c> and <c>mode</c> into a filter: a built-in name or a path to a filter file.</summary>
internal static class FilterCatalog
{
    public const string NormalMode = "normal";
    public const string AggressiveMode = "aggressive";

    public static IReadOnlyList<string> BuiltIn { get; } = [SshdFilter.FilterName, HttpProbeFilter.FilterName];

    /// <param name="filter"><c>sshd</c>, <c>http-probe</c>, or a filter file (relative to <paramref name="baseDirectory"/>).</param>
    /// <param name="mode">null or <c>normal</c>, or <c>aggressive</c>.</param>
    /// <param name="where">Where the name came from, for messages: the config file, or the command line.</param>
    public static ILogFilter Create(string filter, string? mode, string baseDirectory, string where)
    {
        var aggressive = mode switch
        {
            null or "" or NormalMode => false,
            AggressiveMode => true,
            _ => throw new ConfigException($"{where}: unknown filter mode '{mode}' for filter '{filter}'; allowed: {NormalMode}, {AggressiveMode}"),
        };

        return filter switch
        {
            SshdFilter.FilterName => new SshdFilter(aggressive),
            HttpProbeFilter.FilterName => new HttpProbeFilter(aggressive),
            _ when IsPath(filter) => CustomFilterParser.Load(Path.GetFullPath(filter, baseDirectory)),
            _ => throw new ConfigException($"{where}: unknown filter '{filter}'; allowed: {string.Join(", ", BuiltIn)}, or a path to a fail2ban-style filter file (e.g. filters/myapp.conf)"),
        };
    }

    /// <summary>A watch's filter, resolved against the config file's directory.</summary>
    public static ILogFilter Create(WatchConfig watch, ConfigFile config) =>
        Create(watch.Filter, watch.Mode, Path.GetDirectoryName(Path.GetFullPath(config.SourcePath)) ?? ".", config.SourcePath);

    private static bool IsPath(string filter) =>
        filter.Contains('/', StringComparison.Ordinal) || filter.EndsWith(".conf", StringComparison.Ordinal) || File.Exists(filter);
}
