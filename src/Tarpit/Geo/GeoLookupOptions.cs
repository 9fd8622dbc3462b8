namespace Tarpit.Geo;

/// <summary>Tuning for <see cref="GeoLookup"/>; the defaults suit the agent, tests shrink them.</summary>
/// <param name="CacheCapacity">Most answers kept (one per address, "nothing known" included).</param>
/// <param name="PollInterval">How often the slow check compares each file's inode, size and time.</param>
/// <param name="WatchDirectories">Whether to watch each file's directory for creates and renames.</param>
/// <param name="MaxWalkSteps">Most lookups one walk over a ban's range may make (<see cref="DefaultMaxWalkSteps"/>).</param>
internal sealed record GeoLookupOptions(int CacheCapacity, TimeSpan PollInterval, bool WatchDirectories, int MaxWalkSteps = GeoLookupOptions.DefaultMaxWalkSteps)
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

    /// <summary>
    /// Most lookups one walk over a ban's range may make (<see cref="GeoLookup.FindInside"/>). Each lookup lands on
    /// one network of the database (or one empty stretch of its tree) and jumps past it, so a walk costs one lookup per
    /// network inside the range, not one per address: the fixtures' worst case, <c>0.0.0.0/0</c> and <c>::/0</c>,
    /// takes a few dozen lookups (GeoAllowlistTests counts them). A real GeoLite2-ASN holds roughly half a million IPv4
    /// networks, so one /8 may hold tens of thousands, and a lookup with its decode is a few microseconds: 65,536
    /// lookups stay well under a second. A range with more networks than this is refused rather than half checked.
    /// </summary>
    public const int DefaultMaxWalkSteps = 65_536;

    public static GeoLookupOptions Default { get; } = new(DefaultCacheCapacity, DefaultPollInterval, WatchDirectories: true);
}
