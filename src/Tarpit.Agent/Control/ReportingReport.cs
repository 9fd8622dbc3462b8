namespace Tarpit.Agent.Control;

/// <summary>AbuseIPDB reporting in <c>status</c>: the outbox by state, the UTC day's requests against the budget, and whether it is spent.</summary>
internal sealed record ReportingReport(long Queued, long Sent, long Duplicate, long Failed, long Dropped, long BudgetUsedToday, int DailyBudget, bool BudgetSpent);
