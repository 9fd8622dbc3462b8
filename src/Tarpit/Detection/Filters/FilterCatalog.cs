using Tarpit.Config;

namespace Tarpit.Detection.Filters;

/// <summary>
/// Turns a watch's <c>filter</c> and <c>mode</c> into a filter: a built-in one by its <see cref="FilterNames"/> name,
/// or a fail2ban-style filter file. The config loader (and <c>test-filter</c>) have already checked both.
/// </summary>
internal static class FilterCatalog
{
    /// <summary>A builder for every <see cref="FilterNames.BuiltIn"/> name, given one of <see cref="FilterNames.Modes"/>.</summary>
    public static IReadOnlyDictionary<string, Func<string, ILogFilter>> Builders { get; } = new Dictionary<string, Func<string, ILogFilter>>
    {
        [FilterNames.Sshd] = mode => new SshdFilter(mode),
        [FilterNames.HttpProbe] = mode => new HttpProbeFilter(mode == FilterNames.AggressiveMode),
    };

    /// <param name="filter">A <see cref="FilterNames.BuiltIn"/> name, or a filter file (relative to <paramref name="baseDirectory"/>).</param>
    /// <param name="mode">null (the default) or one of <see cref="FilterNames.Modes"/>.</param>
    public static ILogFilter Create(string filter, string? mode, string baseDirectory) =>
        Builders.TryGetValue(filter, out var build)
            ? build(mode ?? FilterNames.NormalMode)
            : CustomFilterParser.Load(Path.GetFullPath(filter, baseDirectory));

    /// <summary>A watch's filter, resolved against the config file's directory.</summary>
    public static ILogFilter Create(WatchConfig watch, ConfigFile config) =>
        Create(watch.Filter, watch.Mode, Path.GetDirectoryName(Path.GetFullPath(config.SourcePath)) ?? ".");
}
