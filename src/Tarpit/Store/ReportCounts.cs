namespace Tarpit.Store;

/// <summary>The outbox by state, for <c>status</c> and the metrics; <paramref name="BudgetUsedToday"/> is the UTC day's requests.</summary>
internal sealed record ReportCounts(long Queued, long Sent, long Duplicate, long Failed, long BudgetUsedToday);
