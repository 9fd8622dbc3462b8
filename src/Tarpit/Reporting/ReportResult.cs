namespace Tarpit.Reporting;

/// <summary>What AbuseIPDB made of one report.</summary>
internal enum ReportResultKind
{
    /// <summary>200: taken.</summary>
    Accepted,

    /// <summary>422: a report of this address within 15 minutes, or one it will never take: done either way.</summary>
    Duplicate,

    /// <summary>429: too many requests; wait <see cref="ReportResult.RetryAfter"/>.</summary>
    RateLimited,

    /// <summary>5xx, a timeout or a network error: try again later.</summary>
    Transient,

    /// <summary>Another 4xx (401 a wrong key, 403, 400): a retry would be refused again.</summary>
    Refused,
}

/// <summary>One answer: its kind, the HTTP status (null when none came), a short error for the log, and 429's wait.</summary>
internal sealed record ReportResult(ReportResultKind Kind, int? Status, string Error, TimeSpan RetryAfter = default)
{
    /// <summary>True when AbuseIPDB answered at all: the request counts against the daily limit.</summary>
    public bool Answered => Status is not null;
}
