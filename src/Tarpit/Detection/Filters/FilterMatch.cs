using System.Net;

namespace Tarpit.Detection.Filters;

/// <summary>A filter's verdict on one line; <see cref="Address"/> and <see cref="Timestamp"/> are set for offences.</summary>
internal readonly record struct FilterMatch(FilterVerdict Verdict, IPAddress? Address = null, DateTimeOffset Timestamp = default)
{
    public static FilterMatch Missed => default;

    public static FilterMatch Ignored => new(FilterVerdict.Ignored);

    public bool IsOffence => Verdict == FilterVerdict.Offence;

    public static FilterMatch Offence(IPAddress address, DateTimeOffset timestamp) => new(FilterVerdict.Offence, address, timestamp);
}
