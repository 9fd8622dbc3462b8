namespace Tarpit.Agent.Listing;

/// <summary>
/// A ban reason for one table cell, without what the row says already. A watch's reason reads
/// <c>sshd: 5 offences within 10m, last: Dec  1 10:00:00 host sshd[123]: Failed password …</c> and its source
/// column says <c>sshd</c>: the cell keeps <c>5 offences within 10m, last: Failed password …</c>, so the filter's name
/// is not repeated. <c>list --wide</c> and <c>--json</c> keep the reason as stored.
/// </summary>
internal static class ReasonText
{
    private const string Last = "last: ";

    public static string Compact(string source, string reason)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(reason);
        var colon = reason.IndexOf(": ", StringComparison.Ordinal);
        if (colon <= 0 || reason.AsSpan(0, colon).ContainsAny(' ', '[', '('))
        {
            return reason;
        }

        var filter = reason[..colon];
        var rest = string.Equals(filter, source, StringComparison.OrdinalIgnoreCase) ? reason[(colon + 2)..] : reason;
        var last = rest.IndexOf(Last, StringComparison.Ordinal);
        if (last < 0)
        {
            return rest;
        }

        // The logged line's syslog header up to "filter[pid]: " or "filter: ": the program is the filter again.
        var line = rest[(last + Last.Length)..];
        foreach (var program in (ReadOnlySpan<string>)[filter + "[", filter + ": "])
        {
            var at = line.IndexOf(program, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var end = line.IndexOf(": ", at, StringComparison.Ordinal);
            if (end > 0)
            {
                return string.Concat(rest.AsSpan(0, last + Last.Length), line.AsSpan(end + 2));
            }
        }

        return rest;
    }
}
