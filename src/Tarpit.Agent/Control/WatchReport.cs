namespace Tarpit.Agent.Control;

/// <summary>One watch in <c>status</c>.</summary>
/// <param name="Problem">Missing, unreadable, journalctl failing, no journal entry ever, silent far longer than usual; null when healthy.</param>
internal sealed record WatchReport(
    string Name,
    string Source,
    string Filter,
    bool Found,
    long Lines,
    double LinesPerSecond,
    DateTimeOffset? LastLineAt,
    long CutLines,
    string? Problem);
