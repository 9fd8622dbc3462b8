namespace Tarpit.Geo;

/// <summary>Tuning for <see cref="GeoLookup"/>; the defaults suit the agent, tests shrink them.</summary>
/// <param name="CacheCapacity">Most answers kept (one per address, "nothing known" included).</param>
/// <param name="PollInterval">How often the slow check compares each file's inode, size and time.</param>
/// <param name="WatchDirectories">Whether to watch each file's directory for creates and renames.</param>
internal sealed record GeoLookupOptions(int CacheCapacity, TimeSpan PollInterval, bool WatchDirectories)
{
    /// <summary>
    /// 4096 answers: ~170 bytes for "nothing known", ~650 with country and AS strings, so at most ~2.5 MiB however many
    /// distinct attackers come by; anything evicted is looked up again in microseconds.
    /// </summary>
    public const int DefaultCacheCapacity = 4096;

    /// <summary>
    /// The watcher normally sees a replacement at once; this slow check catches what it misses (inotify limits,
    /// network filesystems) at the cost of one stat per file per minute.
    /// </summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMinutes(1);

    public static GeoLookupOptions Default { get; } = new(DefaultCacheCapacity, DefaultPollInterval, WatchDirectories: true);
}
