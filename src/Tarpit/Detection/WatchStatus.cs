namespace Tarpit.Detection;

/// <summary>One watch as <c>tarpit-agent status</c> shows it.</summary>
/// <param name="Problem">Missing, unreadable, journalctl failing, no journal entry ever, or silent far longer than usual; null when healthy.</param>
internal sealed record WatchStatus(
    string Name,
    string Source,
    string Filter,
    bool Found,
    long Lines,
    double LinesPerSecond,
    DateTimeOffset? LastLineAt,
    long CutLines,
    string? Problem);
