using Tarpit.Store;

namespace Tarpit.Reporting;

/// <summary>What <c>status</c> and the metrics say about reporting: the outbox by state, drops, and the day's budget.</summary>
internal sealed record ReportingStatus(ReportCounts Counts, long Dropped, int DailyBudget, bool BudgetSpent);
