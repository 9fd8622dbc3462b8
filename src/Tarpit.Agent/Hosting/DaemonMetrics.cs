using System.Net.Sockets;
using Tarpit.Bans;
using Tarpit.Detection;
using Tarpit.Firewall;
using Tarpit.Metrics;
using Tarpit.Net;
using Tarpit.Store;
using Tarpit.Tarpits.Engine;

namespace Tarpit.Agent.Hosting;

/// <summary>
/// The daemon's metrics wiring, built only with <c>[metrics]</c>: the instruments (<see cref="AgentMetrics"/>) handed
/// to the parts that record, and what is read at each scrape (bans in force from the store, the queues' drop counts).
/// The verbs never build it.
/// </summary>
internal static class DaemonMetrics
{
    /// <summary>Gives the ban stack's parts the instruments: the store times its writes, nft its batches, the ban service counts bans, the reconciler its runs.</summary>
    public static void Attach(AgentMetrics metrics, BanStack root, BanRuntime bans)
    {
        root.Store.Metrics = metrics;
        if (root.Firewall is NftFirewall nft)
        {
            nft.Metrics = metrics;
        }

        root.Bans.Metrics = metrics;
        bans.Reconciler.Metrics = metrics;
    }

    /// <summary>What is read when Prometheus scrapes: counts kept by the parts themselves.</summary>
    public static void ReadAtScrape(AgentMetrics metrics, BanStore store, TimeProvider time, TarpitServer server, BanRuntime bans, DetectionService detection, Reporting.AbuseReporter? reporter = null)
    {
        metrics.BeforeScrape(() =>
        {
            metrics.QueueDropped("dispatcher", server.EventsDropped);
            metrics.QueueDropped("sessions", bans.Sessions.Dropped);
            metrics.QueueDropped("detection", detection.EventSink.Dropped);
            if (ActiveBans(store, time) is { } counts)
            {
                metrics.SetActiveBans(counts);
            }

            if (ReportingNow(reporter) is { } reporting)
            {
                metrics.SetReportQueue(reporting.Counts.Queued, reporting.BudgetSpent);
            }
        });
    }

    /// <summary>The AbuseIPDB outbox now; null without reporting or when the store cannot be read (the gauges keep their last value).</summary>
    private static Reporting.ReportingStatus? ReportingNow(Reporting.AbuseReporter? reporter)
    {
        try
        {
            return reporter?.Status();
        }
        catch (Exception ex) when (ex is StoreFaultException or ObjectDisposedException or Microsoft.Data.Sqlite.SqliteException)
        {
            return null;
        }
    }

    /// <summary>Bans in force by family and kind; null when the store cannot be read now (the gauges keep their last value).</summary>
    private static Dictionary<(string Family, string Kind), int>? ActiveBans(BanStore store, TimeProvider time)
    {
        IReadOnlyList<BanRecord> active;
        try
        {
            active = store.Active(time.GetUtcNow());
        }
        catch (Exception ex) when (ex is StoreFaultException or ObjectDisposedException or Microsoft.Data.Sqlite.SqliteException)
        {
            return null;
        }

        var counts = new Dictionary<(string Family, string Kind), int>();
        foreach (var ban in active)
        {
            var family = ban.Target.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4";
            var kind = Networks.IsHost(ban.Target) ? "address" : "network";
            counts[(family, kind)] = counts.GetValueOrDefault((family, kind)) + 1;
        }

        return counts;
    }
}
