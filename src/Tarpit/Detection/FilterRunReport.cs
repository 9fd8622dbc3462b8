using System.Net;

namespace Tarpit.Detection;

/// <summary>What <see cref="FilterRun"/> found in one log file or journal.</summary>
/// <param name="Lines">Lines read: the judged ones (matched, ignored, missed) and the cut ones.</param>
/// <param name="CutLines">Lines longer than the line bound: counted, never judged.</param>
/// <param name="Offences">Offences per address.</param>
/// <param name="ByRule">Matched and ignored lines per rule (the message class, or why it was excused).</param>
/// <param name="WouldBan">Addresses that reached the window, with the time of the line that would have banned them, in order.</param>
/// <param name="MissedRelevant">Escaped unmatched lines that look like failures (only when asked for), at most <see cref="FilterRun.MaxMissedShown"/>.</param>
internal sealed record FilterRunReport(
    long Lines,
    long Matched,
    long Ignored,
    long Missed,
    long CutLines,
    IReadOnlyDictionary<IPAddress, int> Offences,
    IReadOnlyDictionary<string, long> ByRule,
    IReadOnlyList<(IPAddress Address, DateTimeOffset At)> WouldBan,
    IReadOnlyList<string> MissedRelevant,
    TimeSpan Elapsed)
{
    public double LinesPerSecond => Elapsed > TimeSpan.Zero ? Lines / Elapsed.TotalSeconds : 0;
}
