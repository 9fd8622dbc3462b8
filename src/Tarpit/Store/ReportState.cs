namespace Tarpit.Store;

/// <summary>Where a report in the outbox stands; every state but <see cref="Queued"/> is done (pruned with the bans' retention).</summary>
internal enum ReportState
{
    Queued = 0,

    /// <summary>AbuseIPDB answered 200.</summary>
    Sent = 1,

    /// <summary>AbuseIPDB answered 422: a report of this address within its 15 minutes (or one it will never take).</summary>
    Duplicate = 2,

    /// <summary>Every retry failed (5xx, network): given up.</summary>
    GaveUp = 3,

    /// <summary>AbuseIPDB refused it for good (401, 403, another 4xx): a retry would be refused again.</summary>
    Refused = 4,
}
