namespace Tarpit.Reporting;

/// <summary>
/// The wait before the next try of a report that failed on a 5xx or the network: 30 s doubling to at most 1 h, given up
/// after <see cref="MaxAttempts"/> attempts (about 14 h of an outage: AbuseIPDB's reports are worth most while the
/// offender is active, and a day-old report of a ban is stale).
/// </summary>
internal static class ReportBackoff
{
    public const int MaxAttempts = 20;

    public static readonly TimeSpan First = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan Max = TimeSpan.FromHours(1);

    /// <summary>The wait after the <paramref name="attempt"/>-th failed attempt (1-based).</summary>
    public static TimeSpan After(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(attempt);
        var doublings = Math.Min(attempt - 1, 30);
        var ticks = First.Ticks * (1L << doublings);
        return ticks > Max.Ticks || ticks <= 0 ? Max : TimeSpan.FromTicks(ticks);
    }
}
