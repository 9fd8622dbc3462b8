using Tarpit.Config;

namespace Tarpit.Detection.Filters;

/// <summary>
/// Turns a watch's <c>filter</c> and <c>mode</c> into a filter: a built-in one by its <see cref="FilterNames"/> name,
/// or a fail2ban-style filter file. The config loader (and <c>test-filter</c>) have already checked both.
/// </summary>
internal static class FilterCatalog
{
    /// <summary>A builder for every <see cref="FilterNames.BuiltIn"/> name, given whether the mode is aggressive.</summary>
    public static IReadOnlyDictionary<string, Func<bool, ILogFilter>> Builders { get; } = new Dictionary<string, Func<bool, ILogFilter>>
    {
        [FilterNames.Sshd] = aggressive => new SshdFilter(aggressive),
        [FilterNames.HttpProbe] = aggressive => new HttpProbeFilter(aggressive),
    };

    /// <param name="filter">A <see cref="FilterNames.BuiltIn"/> name, or a filter file (relative to <paramref name="baseDirectory"/>).</param>
    /// <param name="mode">null (the default) or one of <see cref="FilterNames.Modes"/>.</param>
    public static ILogFilter Create(string filter, string? mode, string baseDirectory) =>
        Builders.TryGetValue(filter, out var build)
            ? build(mode == FilterNames.AggressiveMode)
            : CustomFilterParser.Load(Path.GetFullPath(filter, baseDirectory));

    /// <summary>A watch's filter, resolved against the config file's directory.</summary>
    public static ILogFilter Create(WatchConfig watch, ConfigFile config) =>
        Create(watch.Filter, watch.Mode, Path.GetDirectoryName(Path.GetFullPath(config.SourcePath)) ?? ".");
}
