using System.Net;

namespace Tarpit.Detection.Filters;

/// <summary>
/// A filter's verdict on one line; <see cref="Address"/> and <see cref="Timestamp"/> are set for offences, <see cref="Rule"/>
/// (a constant, never attacker text) says which message class matched or why the line was excused.
/// </summary>
internal readonly record struct FilterMatch(FilterVerdict Verdict, IPAddress? Address = null, DateTimeOffset Timestamp = default, string? Rule = null)
{
    public static FilterMatch Missed => default;

    public static FilterMatch Ignored => new(FilterVerdict.Ignored);

    public bool IsOffence => Verdict == FilterVerdict.Offence;

    public static FilterMatch Offence(IPAddress address, DateTimeOffset timestamp, string? rule = null) => new(FilterVerdict.Offence, address, timestamp, rule);

    public static FilterMatch IgnoredBecause(string rule) => new(FilterVerdict.Ignored, Rule: rule);
}
