namespace Tarpit.Config;

/// <summary>One <c>[[watch]]</c> table: a log source, its filter and its window.</summary>
/// <param name="Path">A log file to follow, or null when <paramref name="JournalUnit"/> is set.</param>
/// <param name="JournalUnit">A systemd unit whose journal is streamed, or null when <paramref name="Path"/> is set.</param>
internal sealed record WatchConfig(
    string Name,
    string Filter,
    string? Mode,
    string? Path,
    string? JournalUnit,
    int MaxRetry,
    TimeSpan FindTime);
