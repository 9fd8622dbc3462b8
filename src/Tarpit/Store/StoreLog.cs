using Serilog;

namespace Tarpit.Store;

/// <summary>The log lines of the state database, each template written once (Kestrel's <c>SocketsLog</c>).</summary>
internal static class StoreLog
{
    public static void SessionsNotStored(ILogger log, Exception ex, int count, string path) =>
        log.Error(ex, "Could not store {Count} tarpit sessions in {Path}", count, path);
}
