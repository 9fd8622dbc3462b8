namespace Tarpit.Store;

/// <summary>One report in the AbuseIPDB outbox (<c>report_outbox</c>), as the reporter wrote it: nothing here is attacker text unescaped.</summary>
/// <param name="Address">The single address reported, as <c>NetworkText</c> formats it (never a network).</param>
/// <param name="Reason">The <c>report</c> name it was reported under (<c>sshd</c>, <c>decoy</c>, …).</param>
/// <param name="Categories">AbuseIPDB category numbers, comma-separated (<c>18,22</c>).</param>
/// <param name="Comment">Our own words, escaped and bounded.</param>
/// <param name="OffenceAt">When the ban was decided: the report's <c>timestamp</c>.</param>
internal sealed record ReportRow(
    long Id,
    string Address,
    string Reason,
    string Categories,
    string Comment,
    DateTimeOffset OffenceAt,
    DateTimeOffset CreatedAt,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    ReportState State = ReportState.Queued);
