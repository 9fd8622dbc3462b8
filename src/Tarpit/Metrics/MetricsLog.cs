using System.Net.Sockets;
using Serilog;

namespace Tarpit.Metrics;

/// <summary>The log lines of the metrics endpoint, each template written once (Kestrel's <c>SocketsLog</c>).</summary>
internal static class MetricsLog
{
    public static void Listening(ILogger log, string address) =>
        log.Information("Serving metrics on {MetricsAddress}" + ScrapeRequest.Path, address);

    public static void ClientGone(ILogger log, SocketError error) =>
        log.Debug("A metrics client went away mid-request ({SocketError})", error);

    public static void AcceptFailed(ILogger log, SocketError error, double retrySeconds) =>
        log.Warning("The metrics endpoint could not accept a connection ({SocketError}); trying again in {RetrySeconds} s", error, retrySeconds);

    public static void ScrapeFailed(ILogger log, Exception ex) =>
        log.Error(ex, "A metrics scrape failed");
}
