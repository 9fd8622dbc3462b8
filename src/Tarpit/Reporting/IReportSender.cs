using Tarpit.Store;

namespace Tarpit.Reporting;

/// <summary>Sends one report: <see cref="AbuseIpDbClient"/> over HTTP; a hand-written fake in the reporter's tests.</summary>
internal interface IReportSender
{
    /// <summary>Never throws for what the network or the service does; only cancellation ends it early.</summary>
    Task<ReportResult> SendAsync(ReportRow report, CancellationToken cancellationToken);
}
