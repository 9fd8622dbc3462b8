namespace Tarpit.Detection.Filters;

/// <summary>
/// Decides whether one log line is an offence and by whom. One instance per watch (or test-filter run), used by one
/// thread: a filter may remember earlier lines (the sshd filter joins a connection's lines by pid).
/// </summary>
internal interface ILogFilter
{
    /// <summary>The name reasons and reports use: <c>sshd</c>, <c>http-probe</c>, or the custom file's name.</summary>
    string Name { get; }

    FilterMatch Match(in LogView line);

    /// <summary>True when an unmatched line still looks like a failure this filter is about (for <c>test-filter --show-missed</c>).</summary>
    bool LooksRelevant(in LogView line);
}
